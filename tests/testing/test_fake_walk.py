"""The fake's bedrock-agent lists: REST paths with ids, JSON bodies, filters, sortBy, seeded parents."""
from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from jobinventory.testing import FakeJobServer, generate, get_operation
from jobinventory.testing.seeds import generate_entries

from .conftest import client_for

REGION = "us-west-2"


@pytest.fixture
def seeded():
    server = FakeJobServer().start()
    try:
        server.seed([("bedrock-agent", "ListIngestionJobs")], regions=[REGION], jobs_per_stream=40, seed=3)
        yield server
    finally:
        server.stop()


def _walk(client):
    found = []
    for kb in client.list_knowledge_bases(maxResults=1000)["knowledgeBaseSummaries"]:
        for ds in client.list_data_sources(knowledgeBaseId=kb["knowledgeBaseId"])["dataSourceSummaries"]:
            assert ds["knowledgeBaseId"] == kb["knowledgeBaseId"]
            found += client.list_ingestion_jobs(knowledgeBaseId=kb["knowledgeBaseId"],
                                                dataSourceId=ds["dataSourceId"])["ingestionJobSummaries"]
    return found


def test_seeding_serves_every_job_under_its_parents(seeded):
    client = client_for(seeded, "bedrock-agent", REGION)
    jobs = _walk(client)
    assert len(jobs) == 40
    served = seeded.jobs("bedrock-agent", "ListIngestionJobs", region=REGION)
    key = lambda j: (j["knowledgeBaseId"], j["dataSourceId"], j["ingestionJobId"])  # noqa: E731
    assert sorted(map(key, jobs)) == sorted(map(key, served))
    # Three knowledge bases per stream; every one of their data sources is served, some without jobs.
    assert len(seeded.jobs("bedrock-agent", "ListKnowledgeBases", region=REGION)) == 3
    sources = seeded.jobs("bedrock-agent", "ListDataSources", region=REGION)
    assert len({s["dataSourceId"] for s in sources}) == len(sources) >= 3
    # Seeding again adds jobs, not a second copy of the parents.
    seeded.seed([("bedrock-agent", "ListIngestionJobs")], regions=[REGION], jobs_per_stream=5, seed=4)
    assert len(seeded.jobs("bedrock-agent", "ListKnowledgeBases", region=REGION)) == 3
    assert len(_walk(client)) == 45


def test_status_filter_and_sort_order(seeded):
    client = client_for(seeded, "bedrock-agent", REGION)
    served = seeded.jobs("bedrock-agent", "ListIngestionJobs", region=REGION)
    kb, ds = served[0]["knowledgeBaseId"], served[0]["dataSourceId"]
    mine = [j for j in served if (j["knowledgeBaseId"], j["dataSourceId"]) == (kb, ds)]
    ids = dict(knowledgeBaseId=kb, dataSourceId=ds)
    newest = client.list_ingestion_jobs(**ids)["ingestionJobSummaries"]
    assert [j["ingestionJobId"] for j in newest] == [j["ingestionJobId"] for j in mine]
    oldest = client.list_ingestion_jobs(**ids, sortBy={"attribute": "STARTED_AT", "order": "ASCENDING"})
    assert [j["ingestionJobId"] for j in oldest["ingestionJobSummaries"]] == [j["ingestionJobId"] for j in mine][::-1]
    word = mine[0]["status"]
    only = client.list_ingestion_jobs(**ids, filters=[{"attribute": "STATUS", "operator": "EQ", "values": [word]}])
    assert [j["ingestionJobId"] for j in only["ingestionJobSummaries"]] == [
        j["ingestionJobId"] for j in mine if j["status"] == word]
    with pytest.raises(ClientError, match="ValidationException"):
        client.list_ingestion_jobs(**ids, sortBy={"attribute": "STATUS", "order": "ASCENDING"})


def test_paths_name_the_parents(seeded):
    client = client_for(seeded, "bedrock-agent", REGION)
    assert client.list_data_sources(knowledgeBaseId="NOSUCHKB00")["dataSourceSummaries"] == []
    assert client.list_ingestion_jobs(knowledgeBaseId="NOSUCHKB00", dataSourceId="NOSUCHDS00")[
        "ingestionJobSummaries"] == []
    assert seeded.count(service="bedrock-agent", operation="ListIngestionJobs", status=200) == 1
    spec = get_operation("bedrock-agent", "ListIngestionJobs")
    assert spec.walk == ("ListKnowledgeBases", "ListDataSources") and spec.page_bounds == (1, 1000)


def test_generated_jobs_are_what_aws_could_send(botocore_valid):
    summaries, parents = generate_entries("bedrock-agent", "ListIngestionJobs", 60, seed=7)
    botocore_valid("bedrock-agent", "ListIngestionJobs", {"ingestionJobSummaries": summaries})
    kbs = {s["knowledgeBaseId"]: s for ps in parents for op, s in ps if op == "ListKnowledgeBases"}
    sources = {s["dataSourceId"]: s for ps in parents for op, s in ps if op == "ListDataSources"}
    botocore_valid("bedrock-agent", "ListKnowledgeBases", {"knowledgeBaseSummaries": list(kbs.values())})
    botocore_valid("bedrock-agent", "ListDataSources", {"dataSourceSummaries": list(sources.values())})
    assert all(j["knowledgeBaseId"] in kbs and j["dataSourceId"] in sources for j in summaries)
    assert generate("bedrock-agent", "ListIngestionJobs", 60, seed=7) == summaries
