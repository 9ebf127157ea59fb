"""jobinventory.botosession follows botocore's own Session.create_client."""
from __future__ import annotations

import hashlib
import inspect

import botocore.session

#: sha256 of botocore 1.44's Session.create_client, which SharedSession.client repeats step by step.
CREATE_CLIENT_SHA256 = "a1302b106e49635e6929202d4830e7cb4cc7d78e037f8ff80fc9e7e38f9eb9eb"


def test_botocores_create_client_is_the_one_the_shared_session_repeats():
    source = inspect.getsource(botocore.session.Session.create_client)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == CREATE_CLIENT_SHA256, (
        "botocore's Session.create_client changed: bring jobinventory.botosession.SharedSession.client in line "
        "with it, then record its new sha256 here")
