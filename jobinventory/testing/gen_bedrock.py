"""Bedrock job summaries: imports, customizations, batch inference, evaluations,
model copies and advanced prompt optimizations.

``make(ctx, i) -> (summary, None)``; ids are 12 lowercase alphanumerics as in
Bedrock ARNs (``model-import-job/abcdef123456``).
"""
from __future__ import annotations

from typing import Any

_PURPOSES = ("support-chat", "claims-summary", "product-qa", "legal-review", "code-assist", "sales-email",
             "doc-classify", "sentiment")
_FOUNDATION = ("amazon.titan-text-express-v1", "amazon.nova-lite-v1:0", "anthropic.claude-3-haiku-20240307-v1:0",
               "meta.llama3-1-8b-instruct-v1:0", "mistral.mistral-7b-instruct-v0:2",
               "anthropic.claude-3-5-sonnet-20240620-v1:0")
_TUNABLE = ("amazon.titan-text-express-v1:0:8k", "amazon.titan-text-lite-v1:0:4k", "amazon.nova-micro-v1:0:128k",
            "meta.llama3-1-8b-instruct-v1:0:128k", "anthropic.claude-3-haiku-20240307-v1:0:200k")
_BEDROCK_ERRORS = (
    "Insufficient permissions: the service role cannot read s3://{b}/training/train.jsonl.",
    "Validation failed: the training file contains records longer than the maximum token count.",
    "Input file line 17 is not valid JSON.",
    "Service quota exceeded for concurrent jobs in this Region.",
    "Internal service error. Retry the job.",
)

_IMPORTABLE = ("llama3-8b-support", "mistral-7b-claims", "llama3-70b-legal", "qwen2-7b-catalog", "flan-t5-xl-tagging")
_CUSTOMIZATION_TYPES = ("FINE_TUNING", "FINE_TUNING", "FINE_TUNING", "CONTINUED_PRE_TRAINING", "DISTILLATION")


def _arn(ctx, kind: str, rest: str) -> str:
    return f"arn:aws:bedrock:{ctx.region}:{ctx.account}:{kind}/{rest}"


def _foundation_arn(ctx, model: str, region: str | None = None) -> str:
    return f"arn:aws:bedrock:{region or ctx.region}::foundation-model/{model}"


def _times(ctx):
    status, klass = ctx.status()
    created, modified, ended = ctx.times(klass)
    return status, klass, created, modified, ended


def _failure(ctx) -> str:
    return ctx.pick(_BEDROCK_ERRORS).format(b=f"acme-genai-{ctx.account}-{ctx.region}")


def bedrock_import(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    model = ctx.pick(_IMPORTABLE)
    summary: dict[str, Any] = {
        "jobArn": _arn(ctx, "model-import-job", ctx.base36(12)),
        "jobName": f"import-{model}-{created:%Y%m%d}-{i}", "status": status,
        "creationTime": created, "lastModifiedTime": modified,
    }
    if ended:
        summary["endTime"] = ended
    if status == "Completed":
        summary["importedModelArn"] = _arn(ctx, "imported-model", ctx.base36(12))
        summary["importedModelName"] = f"{model}-v{1 + i % 4}"
    return summary, None


def bedrock_customization(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    base = ctx.pick(_TUNABLE)
    purpose = ctx.pick(_PURPOSES)
    summary: dict[str, Any] = {
        "jobArn": _arn(ctx, "model-customization-job", f"{base}/{ctx.base36(12)}"),
        "baseModelArn": _foundation_arn(ctx, base),
        "jobName": f"{purpose}-ft-{created:%Y%m%d}-{i}", "status": status,
        "creationTime": created, "lastModifiedTime": modified,
        "customizationType": ctx.pick(_CUSTOMIZATION_TYPES),
    }
    if ended:
        summary["endTime"] = ended
    if status == "Completed":
        summary["customModelArn"] = _arn(ctx, "custom-model", f"{base}/{ctx.base36(12)}")
        summary["customModelName"] = f"{purpose}-{base.split('.')[1].split(':')[0]}-{i}"[:63]
    if ctx.chance(0.6):
        done = status in ("Completed",)
        phase = {"status": "Completed", "creationTime": created, "lastModifiedTime": created}
        summary["statusDetails"] = {
            "validationDetails": dict(phase),
            "dataProcessingDetails": dict(phase, status="Completed" if done or klass == "active" else status),
            "trainingDetails": dict(phase, status=status if status in ("InProgress", "Completed", "Stopping",
                                                                       "Stopped", "Failed") else "NotStarted",
                                    lastModifiedTime=modified),
        }
    return summary, None


def bedrock_invocation(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    model = ctx.pick(_FOUNDATION)
    purpose = ctx.pick(_PURPOSES)
    bucket = f"acme-genai-batch-{ctx.account}-{ctx.region}"
    hours = ctx.pick((24, 24, 48, 72, 168))
    summary: dict[str, Any] = {
        "jobArn": _arn(ctx, "model-invocation-job", ctx.base36(12)),
        "jobName": f"{purpose}-batch-{created:%Y%m%d}-{i}", "modelId": model,
        "roleArn": f"arn:aws:iam::{ctx.account}:role/BedrockBatchInferenceRole",
        "status": status, "submitTime": created, "lastModifiedTime": modified,
        "inputDataConfig": {"s3InputDataConfig": {"s3InputFormat": "JSONL",
                                                  "s3Uri": f"s3://{bucket}/input/{purpose}/records.jsonl"}},
        "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/{purpose}/"}},
        "timeoutDurationInHours": hours,
        "jobExpirationTime": ctx.at(int(created.timestamp() * 1000) + hours * 3_600_000),
        "modelInvocationType": "Converse" if ctx.chance(0.3) else "InvokeModel",
    }
    if ended:
        summary["endTime"] = ended
    if klass == "failed":
        summary["message"] = ("Job expired: it did not start before its expiration time." if status == "Expired"
                              else _failure(ctx))
    if status in ("InProgress", "Completed", "PartiallyCompleted", "Stopped"):
        total = 100 * (1 + int(ctx.random() * 500))
        processed = total if status != "InProgress" else int(total * ctx.random())
        errors = int(processed * 0.02 * ctx.random()) if status != "PartiallyCompleted" else processed // 5
        summary.update(totalRecordCount=total, processedRecordCount=processed,
                       successRecordCount=processed - errors, errorRecordCount=errors)
        if status == "PartiallyCompleted":
            summary["message"] = f"{errors} records failed. See the manifest in the output location."
    if ctx.chance(0.1):
        summary["vpcConfig"] = {"subnetIds": [f"subnet-{ctx.hex(17)}"], "securityGroupIds": [f"sg-{ctx.hex(17)}"]}
    return summary, None


def bedrock_evaluation(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    rag = ctx.chance(0.3)
    automated = rag or ctx.chance(0.7)
    model = ctx.pick(_FOUNDATION)
    summary: dict[str, Any] = {
        "jobArn": _arn(ctx, "evaluation-job", ctx.base36(12)),
        "jobName": f"{ctx.pick(_PURPOSES)}-eval-{created:%Y%m%d}-{i}", "status": status,
        "creationTime": created, "jobType": "Automated" if automated else "Human",
        "evaluationTaskTypes": [ctx.pick(("Summarization", "Classification", "QuestionAndAnswer", "Generation"))],
        "applicationType": "RagEvaluation" if rag else "ModelEvaluation",
        "modelIdentifiers": [_foundation_arn(ctx, model)],
        "inferenceConfigSummary": {"modelConfigSummary": {"bedrockModelIdentifiers": [_foundation_arn(ctx, model)]}},
    }
    if rag:
        kb = ctx.base36(10).upper()
        summary["ragIdentifiers"] = [kb]
        summary["inferenceConfigSummary"]["ragConfigSummary"] = {"bedrockKnowledgeBaseIdentifiers": [kb]}
    if automated and ctx.chance(0.5):
        summary["evaluatorModelIdentifiers"] = ["anthropic.claude-3-5-sonnet-20240620-v1:0"]
    return summary, None


def bedrock_copy(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    base = ctx.pick(_TUNABLE)
    source_region = ctx.pick(("us-east-1", "us-west-2", "eu-central-1"))
    name = f"{ctx.pick(_PURPOSES)}-{base.split('.')[1].split(':')[0]}-{i}"[:63]
    summary: dict[str, Any] = {
        "jobArn": _arn(ctx, "model-copy-job", ctx.base36(12)), "status": status, "creationTime": created,
        "targetModelArn": _arn(ctx, "custom-model", f"{base}/{ctx.base36(12)}"),
        "targetModelName": name, "sourceAccountId": ctx.account,
        "sourceModelArn": f"arn:aws:bedrock:{source_region}:{ctx.account}:custom-model/{base}/{ctx.base36(12)}",
        "sourceModelName": name,
    }
    if ctx.chance(0.3):
        summary["targetModelKmsKeyArn"] = f"arn:aws:kms:{ctx.region}:{ctx.account}:key/{ctx.uuid()}"
    if ctx.chance(0.4):
        summary["targetModelTags"] = [{"key": "team", "value": ctx.pick(("ml-platform", "support", "legal"))}]
    if klass == "failed":
        summary["failureMessage"] = _failure(ctx)
    return summary, None


def bedrock_prompt_optimization(ctx, i):
    status, klass, created, modified, ended = _times(ctx)
    return {
        "jobArn": _arn(ctx, "advanced-prompt-optimization-job", ctx.base36(12)),
        "jobName": f"{ctx.pick(_PURPOSES)}-prompt-opt-{created:%Y%m%d}-{i}", "jobStatus": status,
        "creationTime": created, "lastModifiedTime": modified,
    }, None


_ASYNC_MODELS = ("amazon.nova-reel-v1:0", "amazon.nova-reel-v1:1", "luma.ray-v2:0", "twelvelabs.marengo-embed-2-7-v1:0")
_ASYNC_ERRORS = (
    "The video could not be generated: the prompt was blocked by content filters.",
    "Access denied when writing to the output S3 location.",
    "Internal server error. Retry the invocation.",
)


def bedrock_runtime_async_invoke(ctx, i):
    """StartAsyncInvoke's invocations (Nova Reel videos, embeddings): S3 output, no name."""
    status, klass, created, modified, ended = _times(ctx)
    model = ctx.pick(_ASYNC_MODELS)
    invocation = ctx.base36(12)
    summary: dict[str, Any] = {
        "invocationArn": _arn(ctx, "async-invoke", invocation),
        "modelArn": _foundation_arn(ctx, model),
        "status": status, "submitTime": created, "lastModifiedTime": modified,
        "outputDataConfig": {"s3OutputDataConfig": {
            "s3Uri": f"s3://acme-genai-video-{ctx.account}-{ctx.region}/async/{invocation}/"}},
    }
    if ctx.chance(0.5):
        summary["clientRequestToken"] = ctx.uuid()
    if ended:
        summary["endTime"] = ended
    if klass == "failed":
        summary["failureMessage"] = ctx.pick(_ASYNC_ERRORS)
    return summary, None
