"""OIT self-check: evidence links per item, an automated checker, a predicted OIT score."""

from itadesk.oit.checker import Checker, CheckRun, CheckSettings, UrlCheck, check_register
from itadesk.oit.evidence import EvidenceItem, EvidenceRegister, read_evidence
from itadesk.oit.safety import NetworkPolicy, UnsafeURL
from itadesk.oit.verdict import DOUBTFUL, FAIL, PASS, OitPrediction, compare, predict

__all__ = [
    "CheckRun", "CheckSettings", "Checker", "UrlCheck", "check_register",
    "EvidenceItem", "EvidenceRegister", "read_evidence",
    "NetworkPolicy", "UnsafeURL",
    "PASS", "DOUBTFUL", "FAIL", "OitPrediction", "compare", "predict",
]
