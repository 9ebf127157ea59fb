"""Data Exchange ``ListJobs`` summaries: every ``Details`` variant the model has.

Signed URLs look like real S3 presigned URLs (``X-Amz-Signature=...``) and
API Gateway imports carry an ``ApiKey``: the secrets a consumer must redact.
``ERROR`` jobs carry ``Errors`` as the service reports them.
"""
from __future__ import annotations

import base64
from typing import Any, Callable

_ASSETS = ("customer_transactions", "daily_prices", "weather_observations", "foot_traffic", "credit_events",
           "shipping_manifests")


def _presigned(ctx, host: str, path: str, created) -> str:
    stamp = created.strftime("%Y%m%dT%H%M%SZ")
    credential = f"ASIA{ctx.base36(16).upper()}%2F{created:%Y%m%d}%2F{ctx.region}%2Fs3%2Faws4_request"
    return (
        f"https://{host}/{path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={credential}"
        f"&X-Amz-Date={stamp}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host"
        f"&X-Amz-Security-Token=IQoJb3JpZ2luX2Vj{ctx.base36(48)}&X-Amz-Signature={ctx.hex(64)}"
    )


def _md5(ctx) -> str:
    return base64.b64encode(ctx.rng.getrandbits(128).to_bytes(16, "big")).decode()


def _key(ctx, created) -> str:
    return f"{ctx.pick(_ASSETS)}/{created:%Y/%m/%d}/part-{int(ctx.random() * 100):05d}.csv"


def _bucket(ctx) -> str:
    return f"acme-data-products-{ctx.account}"


def _encryption(ctx) -> dict[str, Any] | None:
    if ctx.chance(0.5):
        return None
    if ctx.chance(0.5):
        return {"Type": "AES256"}
    return {"Type": "aws:kms", "KmsKeyArn": f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{ctx.uuid()}"}


def import_from_s3(ctx, ds, rev, created):
    sources = [{"Bucket": _bucket(ctx), "Key": _key(ctx, created)} for _ in range(1 + int(ctx.random() * 3))]
    return {"AssetSources": sources, "DataSetId": ds, "RevisionId": rev}


def export_to_s3(ctx, ds, rev, created):
    dests = [{"AssetId": ctx.hex(32), "Bucket": f"acme-subscriber-landing-{ctx.account}",
              "Key": f"landing/{ctx.pick(_ASSETS)}/{created:%Y-%m-%d}.csv"} for _ in range(1 + int(ctx.random() * 2))]
    out = {"AssetDestinations": dests, "DataSetId": ds, "RevisionId": rev}
    enc = _encryption(ctx)
    if enc:
        out["Encryption"] = enc
    return out


def export_revisions_to_s3(ctx, ds, rev, created):
    out: dict[str, Any] = {
        "DataSetId": ds,
        "RevisionDestinations": [{"Bucket": f"acme-subscriber-landing-{ctx.account}",
                                  "KeyPattern": "${Revision.CreatedAt}/${Asset.Name}", "RevisionId": rev}],
    }
    enc = _encryption(ctx)
    if enc:
        out["Encryption"] = enc
    if ctx.chance(0.4):
        out["EventActionArn"] = f"arn:aws:dataexchange:{ctx.region}:{ctx.account}:event-actions/{ctx.hex(32)}"
    return out


def export_to_signed_url(ctx, ds, rev, created):
    asset = ctx.hex(32)
    host = f"prod-{ctx.region}-data-exchange-exports.s3.{ctx.region}.amazonaws.com"
    return {"AssetId": asset, "DataSetId": ds, "RevisionId": rev,
            "SignedUrl": _presigned(ctx, host, f"{ctx.account}/{ds}/{rev}/{asset}", created),
            "SignedUrlExpiresAt": ctx.at(_ms(created) + 3_600_000)}


def import_from_signed_url(ctx, ds, rev, created):
    name = f"{ctx.pick(_ASSETS)}_{created:%Y-%m}.csv"
    host = f"prod-{ctx.region}-data-exchange-imports.s3.{ctx.region}.amazonaws.com"
    return {"AssetName": name, "DataSetId": ds, "RevisionId": rev, "Md5Hash": _md5(ctx),
            "SignedUrl": _presigned(ctx, host, f"{ctx.account}/{ds}/{rev}/{name}", created),
            "SignedUrlExpiresAt": ctx.at(_ms(created) + 3_600_000)}


def import_from_api_gateway(ctx, ds, rev, created):
    api = ctx.pick(("pricing-api", "risk-scores-api", "geo-enrichment-api"))
    host = f"prod-{ctx.region}-data-exchange-api-specs.s3.{ctx.region}.amazonaws.com"
    return {"ApiDescription": f"{api} for subscribers", "ApiId": ctx.base36(10), "ApiKey": ctx.base36(20) + ctx.base36(20).upper(),
            "ApiName": api, "ApiSpecificationMd5Hash": _md5(ctx),
            "ApiSpecificationUploadUrl": _presigned(ctx, host, f"{ctx.account}/{ds}/{rev}/openapi.json", created),
            "ApiSpecificationUploadUrlExpiresAt": ctx.at(_ms(created) + 3_600_000),
            "DataSetId": ds, "ProtocolType": "REST", "RevisionId": rev, "Stage": "prod"}


def import_from_redshift(ctx, ds, rev, created):
    share = f"arn:aws:redshift:{ctx.region}:{ctx.account}:datashare:{ctx.uuid()}/{ctx.pick(_ASSETS)}_share"
    return {"AssetSources": [{"DataShareArn": share}], "DataSetId": ds, "RevisionId": rev}


def s3_data_access(ctx, ds, rev, created):
    source: dict[str, Any] = {"Bucket": _bucket(ctx), "KeyPrefixes": [f"{ctx.pick(_ASSETS)}/"]}
    if ctx.chance(0.3):
        source["KmsKeysToGrant"] = [{"KmsKeyArn": f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{ctx.uuid()}"}]
    return {"AssetSource": source, "DataSetId": ds, "RevisionId": rev}


def lake_formation(ctx, ds, rev, created):
    tags = [{"TagKey": "domain", "TagValues": [ctx.pick(("finance", "marketing", "supply-chain"))]}]
    return {"CatalogId": ctx.account,
            "Database": {"Expression": tags, "Permissions": ["DESCRIBE"]},
            "Table": {"Expression": tags, "Permissions": ["DESCRIBE", "SELECT"]},
            "RoleArn": f"arn:aws:iam::{ctx.account}:role/DataExchangeLakeFormationRole",
            "DataSetId": ds, "RevisionId": rev}


def _ms(dt) -> int:
    return int(dt.timestamp() * 1000)


# (Type, Details key, builder, weight)
VARIANTS: tuple[tuple[str, str, Callable, int], ...] = (
    ("IMPORT_ASSETS_FROM_S3", "ImportAssetsFromS3", import_from_s3, 6),
    ("EXPORT_ASSETS_TO_S3", "ExportAssetsToS3", export_to_s3, 5),
    ("EXPORT_ASSET_TO_SIGNED_URL", "ExportAssetToSignedUrl", export_to_signed_url, 3),
    ("IMPORT_ASSET_FROM_SIGNED_URL", "ImportAssetFromSignedUrl", import_from_signed_url, 3),
    ("EXPORT_REVISIONS_TO_S3", "ExportRevisionsToS3", export_revisions_to_s3, 3),
    ("IMPORT_ASSET_FROM_API_GATEWAY_API", "ImportAssetFromApiGatewayApi", import_from_api_gateway, 2),
    ("IMPORT_ASSETS_FROM_REDSHIFT_DATA_SHARES", "ImportAssetsFromRedshiftDataShares", import_from_redshift, 1),
    ("CREATE_S3_DATA_ACCESS_FROM_S3_BUCKET", "CreateS3DataAccessFromS3Bucket", s3_data_access, 1),
    ("IMPORT_ASSETS_FROM_LAKE_FORMATION_TAG_POLICY", "ImportAssetsFromLakeFormationTagPolicy", lake_formation, 1),
)
_WEIGHTED = tuple(v for v in VARIANTS for _ in range(v[3]))


def _errors(ctx, details: dict[str, Any], rev: str) -> list[dict[str, Any]]:
    roll = ctx.random()
    sources = details.get("AssetSources")
    if sources and "Key" in sources[0] and roll < 0.4:
        src = sources[0]
        return [{"Code": "RESOURCE_NOT_FOUND_EXCEPTION",
                 "Message": f"The object s3://{src['Bucket']}/{src['Key']} does not exist.",
                 "ResourceId": src["Key"], "ResourceType": "ASSET",
                 "Details": {"ImportAssetsFromS3JobErrorDetails": [dict(src)]}}]
    if roll < 0.6:
        return [{"Code": "ACCESS_DENIED_EXCEPTION",
                 "Message": "Access to the S3 bucket was denied. Check the bucket policy grants AWS Data Exchange access."}]
    if roll < 0.75:
        return [{"Code": "SERVICE_QUOTA_EXCEEDED_EXCEPTION", "Message": "The revision has reached its asset limit.",
                 "LimitName": "Assets per revision", "LimitValue": 10000.0, "ResourceId": rev,
                 "ResourceType": "REVISION"}]
    if roll < 0.85 and "AssetName" in details:
        return [{"Code": "MALWARE_DETECTED", "Message": "Malware was detected in the uploaded file.",
                 "Details": {"ImportAssetFromSignedUrlJobErrorDetails": {"AssetName": details["AssetName"]}}}]
    return [{"Code": "VALIDATION_EXCEPTION", "Message": "The request failed validation: the revision is finalized."}]


def dataexchange_job(ctx, i):
    state, klass = ctx.status()
    created, updated, _ = ctx.times(klass)
    ds, rev = ctx.pool("revisions", 12, lambda k: (ctx.pool("datasets", 4, lambda _: ctx.hex(32)), ctx.hex(32)))
    type_, key, build, _ = ctx.pick(_WEIGHTED)
    details = build(ctx, ds, rev, created)
    job_id = ctx.hex(32)
    summary = {"Arn": f"arn:aws:dataexchange:{ctx.region}:{ctx.account}:jobs/{job_id}", "Id": job_id,
               "CreatedAt": created, "UpdatedAt": updated, "State": state, "Type": type_, "Details": {key: details}}
    if state == "ERROR":
        summary["Errors"] = _errors(ctx, details, rev)
    return summary, None
