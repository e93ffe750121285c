"""Static files on a deployed stage: hashed names in S3, served by CloudFront.

`manage.py deploy_static` (``make static STAGE=<stage>``) uploads them with collectstatic
through this storage and writes the manifest (original name → hashed name) to a file that is
packaged with the app. Pages never use this module: they build URLs from that file with
arena_site.static_urls.PackagedManifestStorage, since this one imports boto3 (django-storages'
S3 backend does so at import time).
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from storages.backends.s3 import S3Storage

from arena_site.static_urls import PackagedManifestMixin

# Django's hashed names: "<root>.<first 12 hex digits of the MD5>.<ext>" (css/arena.0a1b2c3d4e5f.css).
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}(\.[^./]+)?$")
# A hashed name never changes content, so browsers and CloudFront may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
# The unhashed originals collectstatic also uploads (no page links to them) and the S3 copy
# of the manifest: short-lived, so a look at them shows the last upload.
SHORT_LIVED = "public, max-age=300"
# Where the manifest's copy lands in the bucket, beside the files (static/staticfiles.json).
S3_MANIFEST_NAME = "staticfiles.json"


class StaticFilesS3Storage(PackagedManifestMixin, ManifestFilesMixin, S3Storage):
    """S3 storage with hashed names whose manifest lives in a local file (``manifest_path``).

    ``custom_domain`` must be set (the CloudFront host): with it, django-storages' ``url()``
    formats the URL itself; without it, it would create a boto3 client to presign one.
    """

    # Defaults for deploy_static's upload; django-storages uses class attributes before its
    # AWS_* settings.
    location = "static"
    querystring_auth = False
    default_acl = None  # the bucket enforces its owner: ACLs are disabled
    file_overwrite = True

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if not self.custom_domain:
            raise ImproperlyConfigured("StaticFilesS3Storage needs custom_domain (the CloudFront host)")

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        params: dict[str, Any] = super().get_object_parameters(name)
        params.setdefault("CacheControl", IMMUTABLE if HASHED_NAME.search(name) else SHORT_LIVED)
        return params

    def delete(self, name: str) -> None:
        # Django's post-processing deletes a hashed CSS file before saving it again. The
        # content under a hashed name is always the same and a PUT replaces an object
        # atomically, so deleting would only open a moment in which live pages reference a
        # missing file (and CloudFront caches that 403).
        if HASHED_NAME.search(name):
            return
        super().delete(name)

    def save_manifest(self) -> None:
        super().save_manifest()  # the packaged file: the only copy the app reads
        # A copy beside the files, for people and tools looking at the bucket.
        with self.manifest_storage.open(self.manifest_name) as manifest:
            self._save(S3_MANIFEST_NAME, ContentFile(manifest.read()))
