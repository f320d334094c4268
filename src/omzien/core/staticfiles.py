"""Static files from the npm packages, without the files pages never load."""

from django.contrib.staticfiles.finders import FileSystemFinder

# The Utrecht tokens' background-image-icon.css points at icons its package does not ship, which
# would stop collectstatic with hashed names in production; the rest is source for other tools.
UNUSED_PACKAGE_FILES = [
    "background-image-icon.css", "*prince-xml.css", "*.scss", "*.less", "*.cjs", "*.mjs",
    "*.d.ts",
]


class PackageFilesFinder(FileSystemFinder):
    """The STATICFILES_DIRS finder, leaving out UNUSED_PACKAGE_FILES when collecting."""

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *UNUSED_PACKAGE_FILES])
