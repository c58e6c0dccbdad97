"""Resizes one image to a given width (height keeps the aspect ratio) and saves it as a JPEG.

Event: {"image_url": "file:///abs/photo.jpg" or "/abs/photo.jpg", "width": 200,
        "output_dir": "/abs/dir" (optional: a "thumbnails" folder beside the image)}
Returns {"width", "height", "path", "bytes"} of the thumbnail written.
"""
import os
from urllib.parse import unquote, urlparse

from PIL import Image


class InvalidImageUrl(Exception):
    pass


class InvalidWidth(Exception):
    pass


def local_path(url):
    # The worker runs in the function's code folder, so a relative path would not mean what the
    # caller meant: only absolute paths and file:// URLs are accepted.
    if url.startswith("file://"):
        path = unquote(urlparse(url).path)
    elif "://" in url:
        raise InvalidImageUrl(f"only file:// URLs and local paths are supported, not {url!r}")
    else:
        path = url
    if not os.path.isabs(path):
        raise InvalidImageUrl(f"the image path must be absolute: {url!r}")
    return path


def handler(event, context):
    source = local_path(str(event["image_url"]))
    width = event.get("width")
    if not isinstance(width, int) or isinstance(width, bool) or width <= 0:
        raise InvalidWidth(f"width must be a positive integer, not {width!r}")
    output_dir = event.get("output_dir") or os.path.join(os.path.dirname(source), "thumbnails")
    output_dir = local_path(str(output_dir))
    os.makedirs(output_dir, exist_ok=True)

    with Image.open(source) as image:
        height = max(1, round(image.height * width / image.width))
        thumbnail = image.convert("RGB").resize((width, height), Image.LANCZOS)
    stem = os.path.splitext(os.path.basename(source))[0]
    path = os.path.join(output_dir, f"{stem}-{width}w.jpg")
    thumbnail.save(path, "JPEG", quality=85)
    return {"width": width, "height": height, "path": path, "bytes": os.path.getsize(path)}
