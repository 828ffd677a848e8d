"""The agency's emblem (ตราครุฑ or its own seal) that memos print at the top left.

Accepted: PNG or JPEG, recognised from the content, at most ``limits.EMBLEM_BYTES`` and ``MAX_PIXELS``
(checked before the image is decoded, so a small file cannot unpack into a huge bitmap).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from itadesk import limits
from itadesk.errors import InputError

MAX_PIXELS = 4096 * 4096
FORMATS = {"PNG": "png", "JPEG": "jpg"}


@dataclass(frozen=True)
class Emblem:
    data: bytes
    kind: str       # "png" / "jpg"
    width: int
    height: int

    @property
    def aspect(self) -> float:
        """Height over width, to size the printed emblem by its height."""
        return self.height / self.width


def read_emblem(data: bytes, source: str) -> Emblem:
    """Check an emblem image; raise InputError with a Thai message when it cannot be used."""
    if not data:
        raise InputError.single("ไฟล์ตราว่างเปล่า", source)
    if len(data) > limits.EMBLEM_BYTES:
        raise InputError.single(f"ไฟล์ตราใหญ่เกิน {limits.size_text(limits.EMBLEM_BYTES)}", source, value=len(data))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = FORMATS.get(image.format or "")
            width, height = image.size
            if kind is None:
                raise InputError.single("ตราต้องเป็นภาพ PNG หรือ JPEG", source, value=image.format)
            if width * height > MAX_PIXELS or min(width, height) < 16:
                raise InputError.single(
                    "ขนาดภาพตราต้องอยู่ระหว่าง 16 ถึง 4,096 จุดต่อด้าน", source, value=f"{width}×{height}"
                )
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise InputError.single("อ่านภาพตราไม่ได้: ต้องเป็นไฟล์ PNG หรือ JPEG", source) from None
    return Emblem(data, kind, width, height)


def load_emblem(path: str | Path) -> Emblem:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        raise InputError.single("ไม่พบไฟล์ตรา", str(path)) from None
    return read_emblem(data, str(path))
