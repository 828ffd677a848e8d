"""How the analysis classifies a question or item."""

URGENT = "urgent"    # ต้องแก้ไขโดยเร่งด่วน
IMPROVE = "improve"  # ต้องพัฒนา
KEEP = "keep"        # รักษาระดับ

CLASSIFICATION_LABEL = {URGENT: "เร่งด่วน", IMPROVE: "ต้องพัฒนา", KEEP: "รักษาระดับ"}
