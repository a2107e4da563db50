"""Golden facts about the bundled sample documents: their file names and, per recommendation,
the agencies a careful reader finds responding (used by the golden tests only)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# REVIEW_ASSISTANT_TEST_SAMPLES points the golden tests elsewhere: at a missing folder, it shows
# that the rest (-m "not golden") need no sample
SAMPLES = Path(os.environ.get("REVIEW_ASSISTANT_TEST_SAMPLES") or ROOT / "samples")
SAFEGUARDING = SAMPLES / "safeguarding"
INQUIRY = SAMPLES / "inquiry-responses"
# the samples' local agency names: configuration, as any partnership would keep its own
SAMPLE_AGENCIES = ROOT / "examples" / "southampton-hampshire-agencies.yaml"

POLICE = "Hampshire Constabulary"
MASH = "Multi-Agency Safeguarding Hub (MASH)"
CS = "Children's Services"
SSCP = "Southampton Safeguarding Children Partnership"
CCG = "Clinical Commissioning Group (CCG)"
EDU = "Education"
SOLENT = "Solent NHS Trust"
DIOCESE = "Diocese of Winchester"
HCC = "Hampshire County Council"
HSCB = "Hampshire Safeguarding Children Board"
SHFT = "Southern Health NHS Foundation Trust"
PRIMARY = "Primary Care (GP practices)"
UHSFT = "University Hospital Southampton NHS Foundation Trust"
SCC = "Southampton City Council"
FNP = "Family Nurse Partnership (FNP)"
ICU = "Integrated Commissioning Unit"
EARLY_YEARS = "Hampshire County Council Early Years Team"

CLARE = "000_e3a28ef8a791a154.txt"
CHILD_M = "001_dea43fea084d20fa.txt"
FREDDIE = "002_356fc40ea17f5f0d.txt"
NAI = "003_28908da9fb9512fb.txt"
MINUTES = "004_d7324385235baa7b.txt"
BEHAVIOUR = "behaviour-change-government-response.pdf"
SPACE = "space-economy-government-response.pdf"

EXPECTED_AGENCIES = {
    CLARE: {
        "1a": {POLICE, MASH},
        "1b": {MASH},
        "2a": {CS, SSCP},
        "2b": {SSCP},
        "3a": {CS, CCG, EDU, POLICE, SSCP},
        "3b": {CS, CCG, EDU, POLICE, SSCP},
        "4": {CCG, SOLENT},
        "5": {SSCP},
        "6": {SSCP},
    },
    CHILD_M: {
        "1a": {DIOCESE, HCC},
        "1b": {DIOCESE},
        "1c": {HSCB},
        "1d": {EARLY_YEARS},
        "1e": {HSCB},
        "1f": {HSCB},
        "2a": {HSCB},
        "2b": {CS},
        "3": {HSCB},
        "3a": {CS},
        "3b": {SHFT},
        "3c": {SHFT},
        "3d": {EDU},
        "3e": {DIOCESE},
        "4a": {HSCB},
        "4b": {HSCB},
        "5": {HSCB},
    },
    FREDDIE: {
        "1": {CS, EDU, POLICE, PRIMARY, SOLENT, SCC, SSCP, UHSFT},
        "2": {SSCP},
        "3": {CS, SSCP},
        "4": {CS, SSCP},
        "5": {CS, SSCP},
        "6": {CS},
        "7": {CCG, SSCP},
        "8": {EDU, POLICE, SOLENT, SCC, SSCP, UHSFT},
        "9": {CS, CCG, EDU, POLICE, SOLENT, UHSFT},
        "10": {SSCP},
        "11": {CS},
        "12": {SSCP},
    },
    NAI: {
        "1": {CS, SOLENT, SSCP},
        "2": {CS, POLICE, SOLENT},
        "3": {POLICE},
        "4": {ICU, SSCP},
        "5": {CS, SSCP},
        "6": {FNP},
        "7": {CS, CCG, SOLENT, UHSFT},
        "8": {SSCP},
        "9": {CS},
        "10": {CS, CCG, POLICE, SOLENT},
    },
}
