"""How a deployed stage's pages name their static files: hashed names from the packaged
manifest, under STATIC_URL (the CloudFront address). Serving only, and cheap to import.

The S3 side (uploading with collectstatic, arena_site.storage) imports django-storages and
boto3; a web request needs neither just to print a URL, and on a cold Lambda that import would
be paid by the first page. So settings name this class for serving, and only
`manage.py deploy_static` uses the S3 one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage


class PackagedManifestMixin:
    """For Django's manifest storages: the manifest is the file ``manifest_path`` (which
    `make static` writes and the package carries), not a file in the storage itself.
    ``manifest_required=False`` is for the run that writes it (deploy_static)."""

    manifest_name: str

    def __init__(self, *, manifest_path: str | Path, manifest_required: bool = True, **options: Any) -> None:
        path = Path(manifest_path)
        if manifest_required and not path.is_file():
            # Without it, every page would fail on its first {% static %} with a
            # "Missing staticfiles manifest entry" error that names no file.
            raise ImproperlyConfigured(
                f"The static files manifest {path} is missing: run `make static STAGE=<stage>` "
                "before packaging the app (zappa deploy/update)."
            )
        self.manifest_name = path.name
        super().__init__(manifest_storage=FileSystemStorage(location=path.parent), **options)  # type: ignore[call-arg]


class PackagedManifestStorage(PackagedManifestMixin, ManifestStaticFilesStorage):
    """``url("css/arena.css")`` → ``<STATIC_URL>css/arena.0a1b2c3d4e5f.css``, from the
    packaged manifest: no boto3, no S3."""
