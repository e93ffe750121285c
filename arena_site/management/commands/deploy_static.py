"""Deploy a stage's static files: the bucket + CloudFront stack, then the hashed files.

    python manage.py deploy_static --stage dev [--region eu-west-1] [--skip-stack]

1. Creates or updates the CloudFormation stack ``llm-duel-arena-static-<stage>`` from
   deploy/static-site.yaml (a private S3 bucket, CloudFront with an Origin Access Control).
2. Runs collectstatic into the stack's bucket with hashed names (arena_site.storage) and
   writes the manifest to ARENA_STATIC_MANIFEST_DIR/<stage>.json, which must be packaged
   with the app (commit it, or at least run `zappa update` after this).
3. Prints the ARENA_STATIC_URL and ARENA_STATIC_BUCKET the stage needs.

Safe to run any number of times: an unchanged stack is left alone, unchanged files are not
uploaded again, and old hashed files stay in the bucket, so pages still rendered by the
previous Lambda version keep their styles and scripts while a deploy rolls out.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import boto3
from botocore.exceptions import ClientError, WaiterError
from django.conf import settings
from django.contrib.staticfiles.management.commands.collectstatic import Command as CollectStatic
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from arena_site.storage import StaticFilesS3Storage

STAGE = re.compile(r"[a-z][a-z0-9-]{0,19}")  # as the template's Stage parameter allows
OUTPUTS = ("BucketName", "DistributionDomainName", "DistributionId")
# Stacks in these states accept an update; ROLLBACK_COMPLETE (a failed first creation) is
# deleted and created again; any other state is a stack busy or broken, left to a person.
UPDATABLE = {
    "CREATE_COMPLETE",
    "UPDATE_COMPLETE",
    "UPDATE_ROLLBACK_COMPLETE",
    "IMPORT_COMPLETE",
    "IMPORT_ROLLBACK_COMPLETE",
}
# A new CloudFront distribution takes minutes to deploy; poll every 10 s for up to 40 min.
WAIT = {"Delay": 10, "MaxAttempts": 240}


def stack_name(stage: str) -> str:
    return f"llm-duel-arena-static-{stage}"


class Command(BaseCommand):
    help = (
        "Create or update the stage's static files stack (S3 + CloudFront), upload the static "
        "files with hashed names, write the stage's manifest and print the settings to use."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stage", required=True, help="the Zappa stage: dev, prod, ...")
        parser.add_argument("--region", default="", help="the stack's region (default: ARENA_AWS_REGION)")
        parser.add_argument(
            "--skip-stack",
            action="store_true",
            help="use the stack as it is (no create or update): only upload the files",
        )
        parser.add_argument(
            "--template",
            type=Path,
            default=Path(settings.BASE_DIR) / "deploy" / "static-site.yaml",
            help="the CloudFormation template (default: deploy/static-site.yaml)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stage: str = options["stage"]
        if not STAGE.fullmatch(stage):
            raise CommandError(f"--stage {stage!r}: lowercase letters, digits and dashes, at most 20")
        region: str = options["region"] or settings.ARENA_AWS_REGION
        name = stack_name(stage)
        cloudformation = boto3.client("cloudformation", region_name=region)
        if not options["skip_stack"]:
            self.ensure_stack(cloudformation, name, stage, Path(options["template"]).read_text())
        outputs = self.stack_outputs(cloudformation, name)

        manifest = Path(settings.ARENA_STATIC_MANIFEST_DIR) / f"{stage}.json"
        storage = StaticFilesS3Storage(
            bucket_name=outputs["BucketName"],
            region_name=region,
            custom_domain=outputs["DistributionDomainName"],
            manifest_path=manifest,
            manifest_required=False,  # this run writes it
        )
        collectstatic = CollectStatic()
        collectstatic.storage = storage
        call_command(collectstatic, interactive=False, verbosity=options["verbosity"], stdout=self.stdout)

        static_url = f"https://{outputs['DistributionDomainName']}/{storage.location}/"
        base = Path(settings.BASE_DIR)
        shown = manifest.relative_to(base) if manifest.is_relative_to(base) else manifest
        self.stdout.write(
            self.style.SUCCESS(f"Static files of stage {stage} are at {static_url}")
            + f"\n  bucket        {outputs['BucketName']} ({region})"
            + f"\n  distribution  {outputs['DistributionId']}"
            + f"\n  manifest      {shown}"
            + "\nThe app reads that manifest at run time: commit it, or at least have it in the tree"
            + f" when you run `zappa update {stage}`."
            + f'\nSet these in zappa_settings.json ("{stage}" → "environment_variables"), then run'
            + f" `zappa update {stage}`:"
            + f"\n  ARENA_STATIC_URL={static_url}"
            + f"\n  ARENA_STATIC_BUCKET={outputs['BucketName']}"
        )

    def ensure_stack(self, cloudformation: Any, name: str, stage: str, template: str) -> None:
        arguments = {
            "StackName": name,
            "TemplateBody": template,
            "Parameters": [{"ParameterKey": "Stage", "ParameterValue": stage}],
            "Tags": [
                {"Key": "project", "Value": "llm-duel-arena"},
                {"Key": "stage", "Value": stage},
            ],
        }
        status = self.stack_status(cloudformation, name)
        if status == "ROLLBACK_COMPLETE":
            # A first creation that failed leaves an empty stack that can only be deleted.
            self.stdout.write(f"Deleting stack {name}: its creation failed and it holds nothing")
            cloudformation.delete_stack(StackName=name)
            self.wait(cloudformation, "stack_delete_complete", name)
            status = None
        if status is None:
            self.stdout.write(f"Creating stack {name} (a new CloudFront distribution takes minutes)")
            cloudformation.create_stack(**arguments)
            self.wait(cloudformation, "stack_create_complete", name)
            self.stdout.write(f"Stack {name} created")
        elif status in UPDATABLE:
            try:
                cloudformation.update_stack(**arguments)
            except ClientError as error:
                if "No updates are to be performed" not in str(error):
                    raise
                self.stdout.write(f"Stack {name} is up to date")
                return
            self.stdout.write(f"Updating stack {name}")
            self.wait(cloudformation, "stack_update_complete", name)
            self.stdout.write(f"Stack {name} updated")
        else:
            raise CommandError(f"Stack {name} is {status}: wait until it settles, then run this again")

    def describe(self, cloudformation: Any, name: str) -> dict[str, Any] | None:
        try:
            return dict(cloudformation.describe_stacks(StackName=name)["Stacks"][0])
        except ClientError as error:
            if "does not exist" in str(error):
                return None
            raise

    def stack_status(self, cloudformation: Any, name: str) -> str | None:
        stack = self.describe(cloudformation, name)
        return None if stack is None else str(stack["StackStatus"])

    def stack_outputs(self, cloudformation: Any, name: str) -> dict[str, str]:
        stack = self.describe(cloudformation, name)
        if stack is None:
            raise CommandError(f"Stack {name} does not exist: run without --skip-stack first")
        outputs = {item["OutputKey"]: item["OutputValue"] for item in stack.get("Outputs", [])}
        missing = [key for key in OUTPUTS if not outputs.get(key)]
        if missing:
            raise CommandError(f"Stack {name} has no output {', '.join(missing)}: is it from this template?")
        return outputs

    def wait(self, cloudformation: Any, waiter: str, name: str) -> None:
        try:
            cloudformation.get_waiter(waiter).wait(StackName=name, WaiterConfig=WAIT)
        except WaiterError as error:
            raise CommandError(f"Stack {name}: {error}\n{self.failures(cloudformation, name)}") from None

    def failures(self, cloudformation: Any, name: str) -> str:
        """The reasons CloudFormation gave for the resources that failed, oldest first."""
        try:
            events = cloudformation.describe_stack_events(StackName=name)["StackEvents"]
        except ClientError:
            return ""
        # Newest first: the failures of this attempt, then shown in the order they happened.
        failed = [e for e in events if str(e.get("ResourceStatus", "")).endswith("_FAILED")][:10]
        return "\n".join(
            f"  {e['LogicalResourceId']}: {e.get('ResourceStatusReason', '')}" for e in reversed(failed)
        )
