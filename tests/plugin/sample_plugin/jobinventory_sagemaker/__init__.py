"""Amazon SageMaker ListTrainingJobs for jobinventory: one declarative spec."""
from jobinventory.specs import OperationSpec, Pushdown

SPECS = (
    OperationSpec(
        service="sagemaker",
        operation="ListTrainingJobs",
        list_key="TrainingJobSummaries",
        job_type="training",
        arn="TrainingJobArn",
        id=None,
        name="TrainingJobName",
        status="TrainingJobStatus",  # InProgress, Completed, Failed, Stopping, Stopped, Deleting
        created="CreationTime",
        updated="LastModifiedTime",
        ended="TrainingEndTime",
        pushdown=Pushdown(
            status_param="StatusEquals",
            name_contains_param="NameContains",
            created_after_param="CreationTimeAfter",
            created_before_param="CreationTimeBefore",
            newest_first_params={"SortBy": "CreationTime", "SortOrder": "Descending"},
            newest_first=True,
        ),
        description="SageMaker training jobs",
    ),
)
