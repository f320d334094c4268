"""Reads area boundaries from GeoJSON (the CBS/PDOK wijk- en buurtkaart format)."""

MAX_BOUNDARY_FILE_BYTES = 200 * 1024 * 1024
