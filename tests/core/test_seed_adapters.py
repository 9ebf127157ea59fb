"""The five seed operations on realistic summaries, each fixture validated
against botocore's output shape so that a summary AWS could not send fails."""
import datetime as dt

import pytest

from jobinventory import JobStatus, normalize

UTC = dt.timezone.utc
ACCOUNT = "123456789012"


def t(*args):
    return dt.datetime(*args, tzinfo=UTC)


FORECAST_IMPORT = {
    "DatasetImportJobArn": f"arn:aws:forecast:us-west-2:{ACCOUNT}:dataset-import-job/retail_sales/sales_2024_05",
    "DatasetImportJobName": "sales_2024_05",
    "DataSource": {
        "S3Config": {
            "Path": "s3://acme-forecast/retail/sales-2024-05.csv",
            "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/ForecastS3Access",
            "KMSKeyArn": f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        }
    },
    "Status": "CREATE_FAILED",
    "Message": "Data import failed: column 'item_id' missing in row 3",
    "CreationTime": t(2024, 5, 1, 9, 0),
    "LastModificationTime": t(2024, 5, 1, 9, 12, 30),
    "ImportMode": "FULL",
}

FORECAST_EXPORT = {
    "ForecastExportJobArn": f"arn:aws:forecast:eu-west-1:{ACCOUNT}:forecast-export-job/weekly_demand/export_w18",
    "ForecastExportJobName": "export_w18",
    "Destination": {
        "S3Config": {"Path": "s3://acme-forecast/exports/w18/", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/ForecastS3Access"}
    },
    "Status": "CREATE_IN_PROGRESS",
    "CreationTime": t(2024, 5, 2, 7, 0),
    "LastModificationTime": t(2024, 5, 2, 7, 5),
}

PERSONALIZE_IMPORT = {
    "datasetImportJobArn": f"arn:aws:personalize:us-east-1:{ACCOUNT}:dataset-import-job/interactions-2024-05-03",
    "jobName": "interactions-2024-05-03",
    "status": "ACTIVE",
    "creationDateTime": t(2024, 5, 3, 1, 0),
    "lastUpdatedDateTime": t(2024, 5, 3, 1, 40),
    "importMode": "INCREMENTAL",
}

DATAEXCHANGE_JOB = {
    "Arn": f"arn:aws:dataexchange:us-east-1:{ACCOUNT}:jobs/3f2c1a9b8e7d6c5b4a3928170f6e5d4c",
    "Id": "3f2c1a9b8e7d6c5b4a3928170f6e5d4c",
    "Type": "IMPORT_ASSETS_FROM_S3",
    "State": "COMPLETED",
    "CreatedAt": t(2024, 5, 4, 10, 0),
    "UpdatedAt": t(2024, 5, 4, 10, 3),
    "Details": {
        "ImportAssetsFromS3": {
            "AssetSources": [{"Bucket": "acme-data-products", "Key": "prices/2024-05-04.parquet"}],
            "DataSetId": "aae4c2cd145a48454f9369d4a4db5c66",
            "RevisionId": "e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3",
        }
    },
}

BEDROCK_IMPORT = {
    "jobArn": f"arn:aws:bedrock:us-west-2:{ACCOUNT}:model-import-job/k2v8xq4m1zpt",
    "jobName": "llama-ft-import-0504",
    "status": "Completed",
    "creationTime": t(2024, 5, 4, 12, 0),
    "lastModifiedTime": t(2024, 5, 4, 12, 47),
    "endTime": t(2024, 5, 4, 12, 46),
    "importedModelArn": f"arn:aws:bedrock:us-west-2:{ACCOUNT}:imported-model/abcd1234efgh",
    "importedModelName": "llama-ft-0504",
}

CASES = [
    ("forecast", "ListDatasetImportJobs", "DatasetImportJobs", FORECAST_IMPORT),
    ("forecast", "ListForecastExportJobs", "ForecastExportJobs", FORECAST_EXPORT),
    ("personalize", "ListDatasetImportJobs", "datasetImportJobs", PERSONALIZE_IMPORT),
    ("dataexchange", "ListJobs", "Jobs", DATAEXCHANGE_JOB),
    ("bedrock", "ListModelImportJobs", "modelImportJobSummaries", BEDROCK_IMPORT),
]


@pytest.mark.parametrize("service,operation,key,summary", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_fixtures_are_what_aws_could_send(botocore_valid, service, operation, key, summary):
    botocore_valid(service, operation, {key: [summary]})


def test_forecast_dataset_import():
    job = normalize("forecast", "ListDatasetImportJobs", FORECAST_IMPORT)
    assert (job.service, job.operation, job.job_type) == ("forecast", "ListDatasetImportJobs", "dataset_import")
    assert job.job_id == job.arn == FORECAST_IMPORT["DatasetImportJobArn"]
    assert job.name == "sales_2024_05"
    assert (job.status, job.raw_status) == (JobStatus.FAILED, "CREATE_FAILED")
    assert job.created_at == t(2024, 5, 1, 9, 0)
    assert job.updated_at == job.ended_at == t(2024, 5, 1, 9, 12, 30)  # terminal: ended at the last change
    assert job.duration == dt.timedelta(minutes=12, seconds=30)
    assert (job.region, job.account_id) == ("us-west-2", ACCOUNT)
    assert job.message == "Data import failed: column 'item_id' missing in row 3"
    assert job.source == "s3://acme-forecast/retail/sales-2024-05.csv"
    assert job.destination is None
    # Role and KMS key ARNs are not secrets and stay; nothing is dropped.
    assert job.details == {
        "DataSource": {
            "S3Config": {
                "Path": "s3://acme-forecast/retail/sales-2024-05.csv",
                "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/ForecastS3Access",
                "KMSKeyArn": f"arn:aws:kms:us-west-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            }
        },
        "ImportMode": "FULL",
    }


def test_forecast_export_running_has_no_end():
    job = normalize("forecast", "ListForecastExportJobs", FORECAST_EXPORT)
    assert job.job_type == "forecast_export"
    assert job.status is JobStatus.RUNNING and job.ended_at is None and job.duration is None
    assert job.destination == "s3://acme-forecast/exports/w18/" and job.source is None
    assert job.region == "eu-west-1"


def test_personalize_dataset_import():
    job = normalize("personalize", "ListDatasetImportJobs", PERSONALIZE_IMPORT)
    assert job.job_type == "dataset_import" and job.name == "interactions-2024-05-03"
    assert job.status is JobStatus.SUCCEEDED and job.ended_at == t(2024, 5, 3, 1, 40)
    assert job.details == {"importMode": "INCREMENTAL"}


@pytest.mark.parametrize(
    "raw,unified",
    [("CREATE PENDING", JobStatus.PENDING), ("CREATE IN_PROGRESS", JobStatus.RUNNING),
     ("CREATE FAILED", JobStatus.FAILED), ("DELETE PENDING", JobStatus.DELETING)],
)
def test_personalize_writes_statuses_with_spaces(raw, unified):
    job = normalize("personalize", "ListDatasetImportJobs", dict(PERSONALIZE_IMPORT, status=raw))
    assert job.status is unified and job.raw_status == raw


def test_personalize_rest_epoch_numbers_and_cli_iso_strings_agree():
    rest = dict(PERSONALIZE_IMPORT, creationDateTime=1714698000.0, lastUpdatedDateTime=1714700400)
    cli = dict(PERSONALIZE_IMPORT, creationDateTime="2024-05-03T03:00:00+02:00",
               lastUpdatedDateTime="2024-05-03T01:40:00.000000+00:00")
    assert normalize("personalize", "ListDatasetImportJobs", rest) == normalize(
        "personalize", "ListDatasetImportJobs", cli
    ) == normalize("personalize", "ListDatasetImportJobs", PERSONALIZE_IMPORT)


def test_dataexchange_job_type_ends_and_message():
    job = normalize("dataexchange", "ListJobs", DATAEXCHANGE_JOB)
    assert job.job_type == "import_assets_from_s3"
    assert job.job_id == DATAEXCHANGE_JOB["Arn"] and job.name is None
    assert job.status is JobStatus.SUCCEEDED and job.ended_at is None  # no documented end time
    assert job.source == "s3://acme-data-products/prices/2024-05-04.parquet"
    assert job.destination == (
        f"arn:aws:dataexchange:us-east-1:{ACCOUNT}:data-sets/aae4c2cd145a48454f9369d4a4db5c66"
        "/revisions/e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3"
    )
    assert job.message is None
    assert job.details["Id"] == DATAEXCHANGE_JOB["Id"]
    assert "Type" not in job.details and "State" not in job.details


def test_dataexchange_errors_become_the_message(botocore_valid):
    failed = dict(
        DATAEXCHANGE_JOB,
        Type="EXPORT_ASSETS_TO_S3",
        State="ERROR",
        Details={
            "ExportAssetsToS3": {
                "AssetDestinations": [{"AssetId": "a1", "Bucket": "acme-exports", "Key": "out/prices.parquet"}],
                "DataSetId": "aae4c2cd145a48454f9369d4a4db5c66",
                "RevisionId": "e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3",
            }
        },
        Errors=[
            {"Code": "ACCESS_DENIED_EXCEPTION", "Message": "Access to bucket acme-exports denied",
             "ResourceId": "a1", "ResourceType": "ASSET"},
            {"Code": "VALIDATION_EXCEPTION", "Message": "Key too long"},
        ],
    )
    botocore_valid("dataexchange", "ListJobs", {"Jobs": [failed]})
    job = normalize("dataexchange", "ListJobs", failed)
    assert job.job_type == "export_assets_to_s3" and job.status is JobStatus.FAILED
    assert job.message == "ACCESS_DENIED_EXCEPTION: Access to bucket acme-exports denied; VALIDATION_EXCEPTION: Key too long"
    assert job.destination == "s3://acme-exports/out/prices.parquet"
    assert job.source.endswith("/revisions/e5a5e6f1a6d3c2b1a0f9e8d7c6b5a4f3")


def test_bedrock_model_import():
    job = normalize("bedrock", "ListModelImportJobs", BEDROCK_IMPORT)
    assert job.job_type == "model_import" and job.name == "llama-ft-import-0504"
    assert job.status is JobStatus.SUCCEEDED and job.raw_status == "Completed"
    assert job.ended_at == t(2024, 5, 4, 12, 46)  # endTime, not the last change
    assert job.destination == BEDROCK_IMPORT["importedModelArn"]
    assert job.details == {"importedModelName": "llama-ft-0504"}


def test_region_and_account_given_win_over_the_arn():
    job = normalize("bedrock", "ListModelImportJobs", BEDROCK_IMPORT, region="us-east-1", account_id="210987654321")
    assert (job.region, job.account_id) == ("us-east-1", "210987654321")


@pytest.mark.parametrize("service,operation,key,summary", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_adapter_output_passes_the_records_own_validators(service, operation, key, summary):
    # Adapters build Jobs without re-running the validators; prove they would pass.
    import attrs

    from jobinventory import Job

    job = normalize(service, operation, summary)
    assert Job(**attrs.asdict(job, recurse=False)) == job
