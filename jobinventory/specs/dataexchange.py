"""AWS Data Exchange ListJobs (REST-JSON; ISO 8601 timestamps; newest first).

Irregular: the job type is the job's own `Type`; source and destination come
from whichever `Details` variant is present; the message from `Errors`.
"""
from __future__ import annotations

from typing import Any, Dict, List, Mapping, MutableMapping, Optional

from .base import OperationSpec, Pushdown


def _is_map(value: Any) -> bool:
    # dict first: a check against typing.Mapping costs a microsecond, and
    # summaries from boto3 or JSON are always dicts.
    return type(value) is dict or isinstance(value, Mapping)


def _s3(bucket: Optional[str], key: Optional[str] = None) -> Optional[str]:
    if not bucket:
        return None
    return f"s3://{bucket}/{key or ''}"


def _first(items: Any) -> Mapping[str, Any]:
    if isinstance(items, list) and items and _is_map(items[0]):
        return items[0]
    return {}


def _revision_arn(fields: Mapping[str, Any], detail: Mapping[str, Any]) -> Optional[str]:
    data_set, revision = detail.get("DataSetId"), detail.get("RevisionId")
    if not data_set:
        return None
    region, account = fields.get("region") or "", fields.get("account_id") or ""
    arn = f"arn:aws:dataexchange:{region}:{account}:data-sets/{data_set}"
    return f"{arn}/revisions/{revision}" if revision else arn


def _ends(variant: str, d: Mapping[str, Any], fields: Mapping[str, Any]) -> Dict[str, Optional[str]]:
    """(source, destination) of one Details variant."""
    revision = _revision_arn(fields, d)
    if variant == "ImportAssetsFromS3":
        src = _first(d.get("AssetSources"))
        return {"source": _s3(src.get("Bucket"), src.get("Key")), "destination": revision}
    if variant == "ImportAssetsFromRedshiftDataShares":
        return {"source": _first(d.get("AssetSources")).get("DataShareArn"), "destination": revision}
    if variant == "ImportAssetFromApiGatewayApi":
        api = d.get("ApiId")
        stage = d.get("Stage")
        source = f"arn:aws:apigateway:{fields.get('region') or ''}::/restapis/{api}" if api else None
        if source and stage:
            source += f"/stages/{stage}"
        return {"source": source, "destination": revision}
    if variant == "CreateS3DataAccessFromS3Bucket":
        src = d.get("AssetSource") or {}
        prefixes = src.get("KeyPrefixes") or src.get("Keys") or [None]
        return {"source": _s3(src.get("Bucket"), prefixes[0]), "destination": revision}
    if variant == "ImportAssetsFromLakeFormationTagPolicy":
        catalog = d.get("CatalogId")
        source = f"arn:aws:glue:{fields.get('region') or ''}:{catalog}:catalog" if catalog else None
        return {"source": source, "destination": revision}
    if variant == "ExportAssetsToS3":
        dst = _first(d.get("AssetDestinations"))
        return {"source": revision, "destination": _s3(dst.get("Bucket"), dst.get("Key"))}
    if variant == "ExportRevisionsToS3":
        dst = _first(d.get("RevisionDestinations"))
        source = revision
        if dst.get("RevisionId") and source and "/revisions/" not in source:
            source += f"/revisions/{dst['RevisionId']}"
        return {"source": source, "destination": _s3(dst.get("Bucket"), dst.get("KeyPattern"))}
    if variant == "ImportAssetFromSignedUrl":
        # The upload URL is a credential (redacted); the job reads what is put there.
        return {"source": None, "destination": revision}
    if variant == "ExportAssetToSignedUrl":
        return {"source": revision, "destination": None}
    # A variant added after this release: the revision is the best we know.
    return {"source": None, "destination": revision}


def _messages(errors: Any) -> Optional[str]:
    if not isinstance(errors, list):
        return None
    texts: List[str] = []
    for error in errors:
        if _is_map(error):
            text = error.get("Message") or error.get("Code")
            if text:
                code = error.get("Code")
                texts.append(f"{code}: {text}" if code and code != text else str(text))
    return "; ".join(texts) or None


def _hook(summary: Mapping[str, Any], fields: MutableMapping[str, Any]) -> None:
    job_type = summary.get("Type")
    if not isinstance(job_type, str) or not job_type:
        from ..errors import NormalizationError

        raise NormalizationError("dataexchange", "ListJobs", "Type", "missing (it gives the job type)")
    fields["job_type"] = job_type.lower()
    details = summary.get("Details")
    if _is_map(details):
        for variant, detail in details.items():
            if _is_map(detail):
                fields.update(_ends(variant, detail, fields))
                break
    fields["message"] = _messages(summary.get("Errors"))


SPECS = (
    OperationSpec(
        service="dataexchange",
        operation="ListJobs",
        list_key="Jobs",
        job_type=None,
        arn="Arn",
        id="Id",
        name=None,
        status="State",
        created="CreatedAt",
        updated="UpdatedAt",
        # Data Exchange documents no end time; UpdatedAt of a finished job is
        # not documented as its end, so ended_at stays unknown.
        hook=_hook,
        hook_consumes=("Type",),
        # Data Exchange lists jobs newest first.
        pushdown=Pushdown(newest_first=True),
        description="Data Exchange import and export jobs (job_type from the job's Type)",
    ),
)
