"""Which List operations of the four services jobinventory reads, and why not the rest.

Every List operation in botocore's model of these services is either covered
(it has a spec, see `jobinventory.registry.all_specs`) or listed in
`EXCLUDED` with the reason. The drift test (tests/specs/test_drift.py) walks
the models and fails on an operation that is neither, so a boto3 upgrade that
brings a new List operation names it: write a spec, or say here why not.

What counts as a job: an asynchronous unit of work that starts, runs and ends
(a status that reaches a terminal state), listed account-wide. Resources that
live on after they are made (datasets, models, forecasts, endpoints), even
when making them is asynchronous, are not jobs; nor are lists that need the
ARN of a parent resource, which an account-wide inventory cannot supply.
"""
from __future__ import annotations

from typing import Mapping, Tuple

__all__ = ["SERVICES", "EXCLUDED"]

#: The services whose models the drift test walks (boto3 client names).
SERVICES: Tuple[str, ...] = ("forecast", "personalize", "dataexchange", "bedrock")

_TAGS = "tags of one resource, not jobs"
_ASYNC_RESOURCE = (
    "a resource that lives on once made; its creation is asynchronous (it has a "
    "CREATE_* status) but it is not a job that ends"
)

#: (service, operation) -> why it is not covered.
EXCLUDED: Mapping[Tuple[str, str], str] = {
    # -- Forecast ------------------------------------------------------------
    ("forecast", "ListDatasetGroups"): "dataset groups are containers with no status, not jobs",
    ("forecast", "ListDatasets"): "datasets are data resources with no status, not jobs",
    ("forecast", "ListPredictors"): "predictors (trained models): " + _ASYNC_RESOURCE,
    ("forecast", "ListForecasts"): "forecasts (generated predictions, queried later): " + _ASYNC_RESOURCE,
    ("forecast", "ListExplainabilities"): (
        "Explainability resources (impact scores kept for export): " + _ASYNC_RESOURCE
        + "; their exports are covered by ListExplainabilityExports"
    ),
    ("forecast", "ListWhatIfAnalyses"): "what-if analyses (scenario containers): " + _ASYNC_RESOURCE,
    ("forecast", "ListWhatIfForecasts"): (
        "what-if forecasts: " + _ASYNC_RESOURCE + "; their exports are covered by ListWhatIfForecastExports"
    ),
    ("forecast", "ListMonitors"): "predictor monitors run indefinitely; a resource, not a job",
    ("forecast", "ListMonitorEvaluations"): (
        "monitoring results (metrics per time window) of one monitor; MonitorArn is "
        "required, so it cannot be listed account-wide, and an evaluation has no job lifecycle"
    ),
    ("forecast", "ListTagsForResource"): _TAGS,
    # -- Personalize ---------------------------------------------------------
    ("personalize", "ListCampaigns"): "campaigns are deployed endpoints: " + _ASYNC_RESOURCE,
    ("personalize", "ListDatasetGroups"): "dataset groups are containers: " + _ASYNC_RESOURCE,
    ("personalize", "ListDatasets"): "datasets are data resources: " + _ASYNC_RESOURCE,
    ("personalize", "ListEventTrackers"): "event trackers are ingestion endpoints: " + _ASYNC_RESOURCE,
    ("personalize", "ListFilters"): "recommendation filters are configuration: " + _ASYNC_RESOURCE,
    ("personalize", "ListMetricAttributions"): "metric attributions are configuration: " + _ASYNC_RESOURCE,
    ("personalize", "ListMetricAttributionMetrics"): "metric definitions of one metric attribution: no status, not jobs",
    ("personalize", "ListRecipes"): "recipes are AWS-provided algorithms, not jobs",
    ("personalize", "ListRecommenders"): "recommenders are deployed endpoints: " + _ASYNC_RESOURCE,
    ("personalize", "ListSchemas"): "schemas are configuration with no status, not jobs",
    ("personalize", "ListSolutions"): "solutions are model configurations: " + _ASYNC_RESOURCE,
    ("personalize", "ListSolutionVersions"): (
        "solution versions are trained models that campaigns serve: " + _ASYNC_RESOURCE
        + ". Creating one is a training run, so it is the nearest to a job of the "
        "exclusions; a candidate for a later release (job_type solution_version)"
    ),
    ("personalize", "ListTagsForResource"): _TAGS,
    # -- Data Exchange -------------------------------------------------------
    ("dataexchange", "ListDataSets"): "data sets are products' data resources, not jobs",
    ("dataexchange", "ListDataSetRevisions"): "revisions of one data set (DataSetId required), not jobs",
    ("dataexchange", "ListRevisionAssets"): "assets of one revision (DataSetId, RevisionId required), not jobs",
    ("dataexchange", "ListEventActions"): "event actions are automation rules, not jobs; the jobs they start are in ListJobs",
    ("dataexchange", "ListDataGrants"): "data grants are sharing agreements with an acceptance state, not jobs",
    ("dataexchange", "ListReceivedDataGrants"): "received data grants are sharing agreements, not jobs",
    ("dataexchange", "ListTagsForResource"): _TAGS,
    # -- Bedrock -------------------------------------------------------------
    ("bedrock", "ListCustomModels"): "custom models are the results of customization jobs (covered), not jobs",
    ("bedrock", "ListImportedModels"): "imported models are the results of import jobs (covered), not jobs",
    ("bedrock", "ListCustomModelDeployments"): "deployments serve a model indefinitely: " + _ASYNC_RESOURCE,
    ("bedrock", "ListProvisionedModelThroughputs"): "provisioned throughput is purchased capacity: " + _ASYNC_RESOURCE,
    ("bedrock", "ListMarketplaceModelEndpoints"): "marketplace endpoints serve a model indefinitely: " + _ASYNC_RESOURCE,
    ("bedrock", "ListFoundationModels"): "the catalogue of AWS-provided models, not jobs",
    ("bedrock", "ListFoundationModelAgreementOffers"): "offers for one model (modelId required), not jobs",
    ("bedrock", "ListInferenceProfiles"): "inference profiles are routing configuration, not jobs",
    ("bedrock", "ListPromptRouters"): "prompt routers are routing configuration, not jobs",
    ("bedrock", "ListGuardrails"): "guardrails are configuration, not jobs",
    ("bedrock", "ListEnforcedGuardrailsConfiguration"): "account-level guardrail settings, not jobs",
    ("bedrock", "ListAutomatedReasoningPolicies"): "Automated Reasoning policies are configuration, not jobs",
    ("bedrock", "ListAutomatedReasoningPolicyBuildWorkflows"): (
        "build workflows are asynchronous, but of one policy only: policyArn is required, "
        "so an account-wide inventory would first have to list every policy (a two-level "
        "walk the one-spec-per-operation engine does not do)"
    ),
    ("bedrock", "ListAutomatedReasoningPolicyTestCases"): "test cases of one policy (policyArn required), not jobs",
    ("bedrock", "ListAutomatedReasoningPolicyTestResults"): (
        "test results of one build workflow (policyArn and buildWorkflowId required), not jobs"
    ),
    ("bedrock", "ListTagsForResource"): _TAGS,
}
