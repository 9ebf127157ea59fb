import json

from jobinventory import from_dict, normalize, to_dict
from jobinventory.details import json_safe
from jobinventory.redact import REDACTED

ACCOUNT = "123456789012"
SIGNED = (
    "https://prod-us-east-1-dataexchange.s3.amazonaws.com/upload?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=ASIAEXAMPLE%2F20240504%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Signature=0f1e2d3c4b5a69788796a5b4c3d2e1f0deadbeefcafebabe"
)
API_KEY = "k3yV4lu3-sup3r-s3cr3t-api-key-0001"
UPLOAD = "https://api-spec-upload.example.com/spec?X-Amz-Signature=abcdef0123456789"

SUMMARIES = [
    {
        "Arn": f"arn:aws:dataexchange:us-east-1:{ACCOUNT}:jobs/aaaabbbbccccddddeeeeffff00001111",
        "Id": "aaaabbbbccccddddeeeeffff00001111",
        "Type": "IMPORT_ASSET_FROM_SIGNED_URL",
        "State": "WAITING",
        "CreatedAt": "2024-05-04T10:00:00Z",
        "UpdatedAt": "2024-05-04T10:00:00Z",
        "Details": {
            "ImportAssetFromSignedUrl": {
                "AssetName": "prices.csv",
                "DataSetId": "aae4c2cd145a48454f9369d4a4db5c66",
                "Md5Hash": "1B2M2Y8AsgTpgAmY7PhCfg==",
                "RevisionId": "e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3",
                "SignedUrl": SIGNED,
                "SignedUrlExpiresAt": "2024-05-04T11:00:00Z",
            }
        },
    },
    {
        "Arn": f"arn:aws:dataexchange:us-east-1:{ACCOUNT}:jobs/aaaabbbbccccddddeeeeffff00002222",
        "Id": "aaaabbbbccccddddeeeeffff00002222",
        "Type": "IMPORT_ASSET_FROM_API_GATEWAY_API",
        "State": "IN_PROGRESS",
        "CreatedAt": "2024-05-04T10:00:00Z",
        "UpdatedAt": "2024-05-04T10:01:00Z",
        "Details": {
            "ImportAssetFromApiGatewayApi": {
                "ApiId": "a1b2c3d4e5",
                "ApiKey": API_KEY,
                "ApiName": "prices-api",
                "ApiSpecificationMd5Hash": "1B2M2Y8AsgTpgAmY7PhCfg==",
                "ApiSpecificationUploadUrl": UPLOAD,
                "ApiSpecificationUploadUrlExpiresAt": "2024-05-04T11:00:00Z",
                "DataSetId": "aae4c2cd145a48454f9369d4a4db5c66",
                "ProtocolType": "REST",
                "RevisionId": "e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3",
                "Stage": "prod",
            }
        },
    },
]


def test_secrets_appear_nowhere(botocore_valid):
    botocore_valid("dataexchange", "ListJobs", {"Jobs": [
        dict(s, CreatedAt=__import__("jobinventory").timestamps.to_utc(s["CreatedAt"]),
             UpdatedAt=__import__("jobinventory").timestamps.to_utc(s["UpdatedAt"]),
             Details={k: {f: (__import__("jobinventory").timestamps.to_utc(v) if f.endswith("ExpiresAt") else v)
                          for f, v in d.items()} for k, d in s["Details"].items()})
        for s in SUMMARIES]})
    for summary in SUMMARIES:
        job = normalize("dataexchange", "ListJobs", summary)
        texts = [repr(job), str(job), json.dumps(to_dict(job)), repr(to_dict(job))]
        for secret in (SIGNED, API_KEY, UPLOAD, "X-Amz-Signature", "s3cr3t"):
            for text in texts:
                assert secret not in text
        assert REDACTED in json.dumps(to_dict(job))
        assert from_dict(to_dict(job)) == job


def test_what_is_not_secret_stays():
    job = normalize("dataexchange", "ListJobs", SUMMARIES[1])
    detail = job.details["Details"]["ImportAssetFromApiGatewayApi"]
    assert detail["ApiKey"] == REDACTED and detail["ApiSpecificationUploadUrl"] == REDACTED
    assert detail["ApiName"] == "prices-api" and detail["Stage"] == "prod"
    assert detail["ApiSpecificationUploadUrlExpiresAt"] == "2024-05-04T11:00:00Z"
    assert job.source == "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod"


def test_json_safe_redacts_signed_urls_under_any_key_and_keeps_arns():
    data = json_safe({
        "Link": SIGNED,
        "Credentials": {"AccessKeyId": "ASIA...", "SecretAccessKey": "x" * 40, "SessionToken": "tok"},
        "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/r",
        "KmsKeyArn": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/k",
        "Count": 3,
        "Ratio": 0.5,
    })
    assert data["Link"] == REDACTED
    assert data["Credentials"]["SecretAccessKey"] == REDACTED and data["Credentials"]["SessionToken"] == REDACTED
    assert data["RoleArn"].startswith("arn:aws:iam") and data["KmsKeyArn"].startswith("arn:aws:kms")
    assert (data["Count"], data["Ratio"]) == (3, 0.5)
