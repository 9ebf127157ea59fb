"""Personalize job summaries: ``make(ctx, i) -> (summary, parent ARN or None)``.

Dataset import and export summaries do not name their dataset, so their
generators return it as the parent (what the ``datasetArn`` filter matches).
"""
from __future__ import annotations

from typing import Any

Summary = dict[str, Any]


def _ddate(dt) -> str:
    return dt.strftime("%Y-%m-%d")


def _bucket(ctx, kind: str) -> str:
    return f"acme-{kind}-{ctx.account}-{ctx.region}"


_DSGS = ("ecommerce-recs", "media-streaming", "retail-personalization", "news-feed")
_PERSONALIZE_ERRORS = (
    "Input data file s3://{b}/interactions/part-0001.csv does not exist or is not accessible.",
    "Insufficient privileges for accessing data in S3. Check the bucket policy and the role's permissions.",
    "The number of columns in the input file does not match the schema.",
    "Batch job failed: the input file contains records that are not valid JSON Lines.",
    "Internal server error. Try again.",
)


# -- Personalize ---------------------------------------------------------------
def _personalize(ctx, i: int, arn_key: str, job_type: str, name: str) -> Summary:
    status, klass = ctx.status()
    created, modified, _ = ctx.times(klass)
    suffix = f"-{_ddate(created)}-{i}"
    name = name[: 63 - len(suffix)] + suffix
    summary = {arn_key: f"arn:aws:personalize:{ctx.region}:{ctx.account}:{job_type}/{name}", "jobName": name,
               "status": status, "creationDateTime": created, "lastUpdatedDateTime": modified}
    if klass == "failed":
        summary["failureReason"] = ctx.pick(_PERSONALIZE_ERRORS).format(b=_bucket(ctx, "personalize"))
    return summary


def _dataset(ctx) -> tuple[str, str]:
    dsg, kind = ctx.pick(_DSGS), ctx.pick(("INTERACTIONS", "ITEMS", "USERS"))
    return f"{dsg}-{kind.lower()}", f"arn:aws:personalize:{ctx.region}:{ctx.account}:dataset/{dsg}/{kind}"


def personalize_dataset_import(ctx, i):
    stem, dataset = _dataset(ctx)
    summary = _personalize(ctx, i, "datasetImportJobArn", "dataset-import-job", f"{stem}-import")
    summary["importMode"] = "INCREMENTAL" if ctx.chance(0.25) else "FULL"
    return summary, dataset


def personalize_dataset_export(ctx, i):
    stem, dataset = _dataset(ctx)
    return _personalize(ctx, i, "datasetExportJobArn", "dataset-export-job", f"{stem}-export"), dataset


def _solution_version(ctx, recipes) -> tuple[str, str]:
    def make(k):
        solution = f"{ctx.pick(_DSGS)}-{ctx.pick(recipes)}"
        return solution, f"arn:aws:personalize:{ctx.region}:{ctx.account}:solution/{solution}/{ctx.hex(8)}"
    return ctx.pool(f"solution-versions:{recipes[0]}", 5, make)


def personalize_batch_inference(ctx, i):
    solution, version = _solution_version(ctx, ("user-personalization", "similar-items", "personalized-ranking"))
    summary = _personalize(ctx, i, "batchInferenceJobArn", "batch-inference-job", f"{solution}-batch")
    summary["solutionVersionArn"] = version
    summary["batchInferenceJobMode"] = "THEME_GENERATION" if ctx.chance(0.15) else "BATCH_INFERENCE"
    return summary, None


def personalize_batch_segment(ctx, i):
    solution, version = _solution_version(ctx, ("item-affinity", "item-attribute-affinity"))
    summary = _personalize(ctx, i, "batchSegmentJobArn", "batch-segment-job", f"{solution}-segments")
    summary["solutionVersionArn"] = version
    return summary, None


def personalize_data_deletion(ctx, i):
    dsg = ctx.pick(_DSGS)
    summary = _personalize(ctx, i, "dataDeletionJobArn", "data-deletion-job", f"{dsg}-user-deletion")
    summary["datasetGroupArn"] = f"arn:aws:personalize:{ctx.region}:{ctx.account}:dataset-group/{dsg}"
    return summary, None


_RECIPES = ("user-personalization-v2", "similar-items", "personalized-ranking-v2", "trending-now", "next-best-action")


def personalize_solution_version(ctx, i):
    """A training run: no name of its own; its solution is the parent (the ``solutionArn`` filter)."""
    status, klass = ctx.status()
    created, modified, _ = ctx.times(klass)
    solution = f"{ctx.pick(_DSGS)}-{ctx.pick(_RECIPES)}"
    solution_arn = f"arn:aws:personalize:{ctx.region}:{ctx.account}:solution/{solution}"
    summary = {
        "solutionVersionArn": f"{solution_arn}/{ctx.hex(8)}", "status": status,
        "trainingMode": ctx.pick(("FULL", "FULL", "UPDATE", "AUTOTRAIN")),
        "trainingType": "AUTOMATIC" if ctx.chance(0.4) else "MANUAL",
        "creationDateTime": created, "lastUpdatedDateTime": modified,
    }
    if klass == "failed":
        summary["failureReason"] = ctx.pick(_PERSONALIZE_ERRORS).format(b=_bucket(ctx, "personalize"))
    return summary, solution_arn
