"""Which List operations of the four services jobinventory reads, and why not the rest.

Every List operation in botocore's model of these services is either covered
(it has a spec, see `jobinventory.registry.all_specs`) or listed in
`EXCLUDED` with the reason. The drift test (tests/specs/test_drift.py) walks
the models and fails on an operation that is neither, so a boto3 upgrade that
brings a new List operation names it: write a spec, or say here why not.

What counts as a job: an asynchronous unit of work that starts, runs and ends
(a status that reaches a terminal state), listed account-wide. A resource
whose creation is a long run users wait on (a training run: Personalize
solution versions, Forecast predictors; a generation run: forecasts,
Explainabilities, what-if forecasts) is covered, as that run: its status is
the run's, and its last modification in a terminal state is when the run
ended. Resources that serve or hold things once made (datasets, campaigns,
endpoints, configuration), even when making them is asynchronous, are not
jobs. A list that needs a parent resource's id is covered only through a
parent walk the spec declares (bedrock-agent ListIngestionJobs).
"""
from __future__ import annotations

from typing import Mapping, Tuple

__all__ = ["SERVICES", "EXCLUDED"]

#: The services whose models the drift test walks (boto3 client names).
SERVICES: Tuple[str, ...] = ("forecast", "personalize", "dataexchange", "bedrock", "bedrock-runtime", "bedrock-agent")

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
    ("forecast", "ListWhatIfAnalyses"): (
        "what-if analyses are scenario containers: creating one only records the baseline "
        "forecast and the time series to vary, and the runs users wait on are the what-if "
        "forecasts inside it (covered by ListWhatIfForecasts) and their exports: " + _ASYNC_RESOURCE
    ),
    ("forecast", "ListMonitors"): (
        "predictor monitors run for as long as their predictor is used (ACTIVE, STOPPED, "
        "ACTIVE again): a resource with no end, not a job; their results are ListMonitorEvaluations'"
    ),
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
    ("bedrock", "ListProjects"): (
        "projects are containers that group resources and set data retention (active or "
        "archived), not jobs that end"
    ),
    ("bedrock", "ListTrustedAccessPrograms"): (
        "trusted access programs are enrollment settings of an account, organization or "
        "project (requestable, enabled, revoked...), not jobs"
    ),
    ("bedrock", "ListTagsForResource"): _TAGS,
    # -- Bedrock agents and knowledge bases (bedrock-agent) --------------------
    ("bedrock-agent", "ListKnowledgeBases"): (
        "knowledge bases are resources that serve queries once made, not jobs; listed as the "
        "first level of the ListIngestionJobs walk"
    ),
    ("bedrock-agent", "ListDataSources"): (
        "data sources are configuration of one knowledge base, not jobs; listed as the second "
        "level of the ListIngestionJobs walk"
    ),
    ("bedrock-agent", "ListKnowledgeBaseDocuments"): (
        "the documents of one data source with their own ingestion state; the syncs that ingest "
        "them are the ingestion jobs (covered)"
    ),
    ("bedrock-agent", "ListAgents"): "agents are configuration that serves requests, not jobs",
    ("bedrock-agent", "ListAgentVersions"): "versions of one agent (agentId required), not jobs",
    ("bedrock-agent", "ListAgentAliases"): "aliases of one agent (agentId required), not jobs",
    ("bedrock-agent", "ListAgentActionGroups"): "action groups of one agent version, configuration, not jobs",
    ("bedrock-agent", "ListAgentCollaborators"): "collaborators of one agent version, configuration, not jobs",
    ("bedrock-agent", "ListAgentKnowledgeBases"): "knowledge bases attached to one agent version, not jobs",
    ("bedrock-agent", "ListFlows"): "prompt flows are configuration that serves requests, not jobs",
    ("bedrock-agent", "ListFlowVersions"): "versions of one flow (flowIdentifier required), not jobs",
    ("bedrock-agent", "ListFlowAliases"): "aliases of one flow (flowIdentifier required), not jobs",
    ("bedrock-agent", "ListPrompts"): "prompts in the prompt library are configuration, not jobs",
    ("bedrock-agent", "ListRetrievalInstructions"): "retrieval instructions are configuration, not jobs",
    ("bedrock-agent", "ListRetrievalInstructionVersions"): "versions of one retrieval instruction, not jobs",
    ("bedrock-agent", "ListVpcConfigurations"): "VPC configurations are network settings, not jobs",
    ("bedrock-agent", "ListTagsForResource"): _TAGS,
}
