"""The 77 provinces of Thailand (76 จังหวัด and กรุงเทพมหานคร), as the Ministry of Interior spells them."""

from __future__ import annotations

import difflib

PROVINCES = (
    "กรุงเทพมหานคร", "กระบี่", "กาญจนบุรี", "กาฬสินธุ์", "กำแพงเพชร", "ขอนแก่น", "จันทบุรี", "ฉะเชิงเทรา",
    "ชลบุรี", "ชัยนาท", "ชัยภูมิ", "ชุมพร", "เชียงราย", "เชียงใหม่", "ตรัง", "ตราด", "ตาก", "นครนายก",
    "นครปฐม", "นครพนม", "นครราชสีมา", "นครศรีธรรมราช", "นครสวรรค์", "นนทบุรี", "นราธิวาส", "น่าน",
    "บึงกาฬ", "บุรีรัมย์", "ปทุมธานี", "ประจวบคีรีขันธ์", "ปราจีนบุรี", "ปัตตานี", "พระนครศรีอยุธยา",
    "พะเยา", "พังงา", "พัทลุง", "พิจิตร", "พิษณุโลก", "เพชรบุรี", "เพชรบูรณ์", "แพร่", "ภูเก็ต",
    "มหาสารคาม", "มุกดาหาร", "แม่ฮ่องสอน", "ยโสธร", "ยะลา", "ร้อยเอ็ด", "ระนอง", "ระยอง", "ราชบุรี",
    "ลพบุรี", "ลำปาง", "ลำพูน", "เลย", "ศรีสะเกษ", "สกลนคร", "สงขลา", "สตูล", "สมุทรปราการ",
    "สมุทรสงคราม", "สมุทรสาคร", "สระแก้ว", "สระบุรี", "สิงห์บุรี", "สุโขทัย", "สุพรรณบุรี",
    "สุราษฎร์ธานี", "สุรินทร์", "หนองคาย", "หนองบัวลำภู", "อ่างทอง", "อำนาจเจริญ", "อุดรธานี",
    "อุตรดิตถ์", "อุทัยธานี", "อุบลราชธานี",
)
_KNOWN = frozenset(PROVINCES)


def canonical_province(raw: str) -> str | None:
    """The province's name without a 'จังหวัด'/'จ.' prefix and with 'เเ' typed as two เ fixed, or None."""
    text = "".join(str(raw).split()).replace("เเ", "แ")
    for prefix in ("จังหวัด", "จ."):
        text = text.removeprefix(prefix)
    if text in ("กทม.", "กทม", "กรุงเทพฯ", "กรุงเทพ"):
        text = "กรุงเทพมหานคร"
    return text if text in _KNOWN else None


def closest_province(raw: str) -> str | None:
    match = difflib.get_close_matches("".join(str(raw).split()), PROVINCES, n=1, cutoff=0.6)
    return match[0] if match else None
