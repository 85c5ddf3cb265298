#!/usr/bin/env python3
"""Deterministic generator for the cekiosk demo event CSV files.

Demo event: "Oncology Annual Meeting 2026", McCormick Place, Chicago
(time zone America/Chicago), 2026-11-23 (Mon) .. 2026-11-27 (Fri),
activity maximum 38.75 credits.

Writes (relative to the repository root):
    config/sessions.csv
    config/attendees.csv

Standard library only. A fixed seed makes every run produce byte-identical
files (UTF-8 without BOM, LF line endings, csv.QUOTE_MINIMAL).

Usage:
    python3 scripts/gen-demo.py [--out-dir DIR]
"""

import argparse
import csv
import datetime as dt
import os
import random
import unicodedata

SEED = 20261123

EVENT_DAYS = [dt.date(2026, 11, 23) + dt.timedelta(days=i) for i in range(5)]

SESSION_HEADER = ["session_id", "title", "starts_at", "ends_at", "credits",
                  "credit_types", "track", "room", "acpe_uan"]
ATTENDEE_HEADER = ["badge_id", "first_name", "last_name", "degree",
                   "profession", "email", "organization", "country"]

ACPE_PROVIDER = "JA0000534-0000-26"

# ---------------------------------------------------------------------------
# Program content
# ---------------------------------------------------------------------------

TRACKS = [
    "Breast Cancer",
    "Lung Cancer",
    "Gastrointestinal Cancer",
    "Genitourinary Cancer",
    "Hematologic Malignancies",
    "Immuno-Oncology",
    "Pediatric Oncology",
    "Supportive and Palliative Care",
    "Oncology Nursing",
    "Oncology Pharmacy",
    "Health Services Research",
    "Developmental Therapeutics",
]
POSTER_TRACK = "Poster Session"

PLENARY_ROOM = "Hall B1"
POSTER_ROOM = "Hall A (Posters)"
# Parallel rooms (Hall B1 joins them in the afternoon).
PARALLEL_ROOMS = ["Arie Crown Theater", "S100a", "S100bc", "S102",
                  "S404", "S406", "E450", "E451"]

# Hand-written titles per track. A few deliberately contain commas, double
# quotes, en/em dashes, apostrophes and non-ASCII letters so that CSV quoting
# and UTF-8 handling get exercised.
TITLES = {
    "Breast Cancer": [
        "CDK4/6 Inhibitors in Early Breast Cancer: Who Benefits?",
        "HER2-Low Breast Cancer: Redefining a Target",
        "Antibody–Drug Conjugates After Progression on Endocrine Therapy",
        "De-escalating Axillary Surgery, Radiation, and Systemic Therapy",
        "Triple-Negative Breast Cancer: Neoadjuvant Immunotherapy in Practice",
        "Germline Testing for All? BRCA1, BRCA2, and PALB2 in the Clinic",
        "Managing Endocrine Therapy Adherence and Side Effects",
        "Breast Cancer in Young Women: Fertility, Pregnancy, and Survivorship",
        "Oral SERDs and ESR1 Mutations: Sequencing Strategies",
        "Metastatic Breast Cancer Tumor Board: Case-Based Discussion",
        "Ductal Carcinoma In Situ: Active Monitoring vs. Surgery",
        "Male Breast Cancer – Evidence Gaps and Practical Management",
        "Lobular Breast Cancer: A Distinct Disease",
        "Brain Metastases in HER2-Positive Breast Cancer",
        "Oncotype DX, MammaPrint, and Genomic Risk in Node-Positive Disease",
        "Breast Cancer in Older Women: Omitting Radiation Safely",
        "Inflammatory Breast Cancer: Trimodality Care",
        "PI3K, AKT, and mTOR Inhibitors: Managing Hyperglycemia",
    ],
    "Lung Cancer": [
        "EGFR-Mutant NSCLC: Osimertinib and Beyond",
        "Perioperative Immunotherapy for Resectable NSCLC",
        "ALK, ROS1, RET, and NTRK: Navigating Rare Drivers",
        "Small Cell Lung Cancer: Tarlatamab and the New Bispecific Era",
        "Lung Cancer Screening: Closing the Uptake Gap",
        "KRAS G12C Inhibitors: Resistance and Combinations",
        "Stage III Unresectable NSCLC After PACIFIC",
        "Mesothelioma and Thymic Malignancies Update",
        "Liquid Biopsy in Lung Cancer: When Tissue Is the Issue",
        "Managing Pneumonitis from Radiation and Immunotherapy",
        "Lung Cancer in Never-Smokers: Biology and Disparities",
        "Multidisciplinary Tumor Board: Oligometastatic NSCLC",
        "HER2-Mutant and EGFR Exon 20 NSCLC",
        "Stereotactic Body Radiotherapy for Early-Stage Lung Cancer",
        "Incidental Pulmonary Nodules: Who Needs Follow-Up?",
        "Smoking Cessation in the Oncology Clinic",
        "Lung Cancer Biomarker Testing: Tissue, Turnaround, and Reflex Testing",
        "MET Exon 14 Skipping and MET Amplification",
    ],
    "Gastrointestinal Cancer": [
        "The \"Watch and Wait\" Approach in Rectal Cancer",
        "Total Neoadjuvant Therapy for Locally Advanced Rectal Cancer",
        "MSI-High Colorectal Cancer: Immunotherapy First?",
        "Pancreatic Adenocarcinoma: Progress, Pitfalls, and Perspectives",
        "Hepatocellular Carcinoma: Sequencing Systemic Therapy",
        "Gastric and Gastroesophageal Junction Cancer: Claudin 18.2 and HER2",
        "Biliary Tract Cancers: FGFR2, IDH1, and Immunotherapy",
        "Early-Onset Colorectal Cancer: Why Now?",
        "ctDNA-Guided Adjuvant Therapy in Colon Cancer",
        "Neuroendocrine Tumors: PRRT and Beyond",
        "Anal Cancer: Chemoradiation, HIV, and Survivorship",
        "Esophageal Cancer Tumor Board",
        "BRAF V600E Colorectal Cancer: Encorafenib Combinations",
        "HER2-Positive Colorectal Cancer",
        "Peritoneal Metastases: HIPEC, PIPAC, or Systemic Therapy?",
        "GIST and Rare Gastrointestinal Sarcomas",
        "Liver-Directed Therapy for Colorectal Liver Metastases",
        "Germline Testing in Pancreatic Cancer",
    ],
    "Genitourinary Cancer": [
        "Metastatic Hormone-Sensitive Prostate Cancer: Triplet Therapy",
        "PSMA PET and Lutetium-177 PSMA-617 in Practice",
        "Renal Cell Carcinoma: Adjuvant Pembrolizumab and First-Line Combinations",
        "Urothelial Carcinoma: Enfortumab Vedotin Plus Pembrolizumab",
        "Non-Muscle-Invasive Bladder Cancer After BCG Failure",
        "Testicular Germ Cell Tumors: Curing Patients, Limiting Toxicity",
        "Active Surveillance for Low-Risk Prostate Cancer",
        "PARP Inhibitors in mCRPC: Who, When, and How?",
        "Penile and Upper Tract Urothelial Cancers: Rare but Real",
        "Bone Health in Men on Androgen Deprivation Therapy",
        "GU Tumor Board: Difficult Cases",
        "Biochemical Recurrence After Prostatectomy: Imaging and Salvage",
        "Non-Clear Cell Renal Cell Carcinoma",
        "Bladder Preservation: Trimodality Therapy",
        "Genetic Testing in Prostate Cancer: HRR Genes and Cascade Testing",
        "Adrenal and Rare Kidney Tumors",
        "Sexual Health After Pelvic Cancer Treatment",
    ],
    "Hematologic Malignancies": [
        "CAR T–Cell Therapy: What's New?",
        "Bispecific Antibodies in Multiple Myeloma",
        "Classical Hodgkin's Lymphoma: Brentuximab, Nivolumab, and Beyond",
        "Waldenström Macroglobulinemia: BTK Inhibitors in 2026",
        "Acute Myeloid Leukemia in Older Adults: Venetoclax Combinations",
        "Chronic Lymphocytic Leukemia: Fixed-Duration vs. Continuous Therapy",
        "Myelodysplastic Syndromes: New Risk Models, New Drugs",
        "Diffuse Large B-Cell Lymphoma: Polatuzumab and Bispecifics",
        "Allogeneic Transplant in the Era of Cellular Therapy",
        "Managing Cytokine Release Syndrome and ICANS",
        "Myeloproliferative Neoplasms: JAK Inhibitors and Anemia",
        "Lymphoma in Sjögren's Syndrome and Other Autoimmune Diseases",
        "Acute Lymphoblastic Leukemia in Adolescents and Young Adults",
        "Mantle Cell Lymphoma: BTK Inhibitors Upfront",
        "Follicular Lymphoma: Watch, Treat, or Engage?",
        "Smoldering Myeloma: To Treat or Not to Treat",
        "AL Amyloidosis: Daratumumab-Based Therapy",
        "Chronic Myeloid Leukemia: Treatment-Free Remission",
        "Measurable Residual Disease in Acute Leukemia",
    ],
    "Immuno-Oncology": [
        "Managing Immune-Related Adverse Events in the Outpatient Setting",
        "Checkpoint Inhibitor Rechallenge: When Is It Safe?",
        "Biomarkers for Immunotherapy: PD-L1, TMB, and Beyond",
        "Neoadjuvant Immunotherapy Across Tumor Types",
        "Cancer Vaccines and Personalized Neoantigen Therapy",
        "Tumor-Infiltrating Lymphocytes for Melanoma",
        "Immunotherapy in Patients with Autoimmune Disease or Transplants",
        "Endocrine Toxicities of Checkpoint Inhibitors",
        "Myocarditis, Myositis, and Myasthenia: The Overlap Syndrome",
        "Duration of Immunotherapy: Stop at Two Years?",
        "The Microbiome and Response to Immunotherapy",
        "Merkel Cell and Cutaneous Squamous Cell Carcinoma Update",
        "Adjuvant Immunotherapy in Melanoma: Stage II and III",
        "Hepatitis and Colitis from Checkpoint Inhibitors: Steroids and Beyond",
        "Immunotherapy in Older and Frail Patients",
        "LAG-3, TIGIT, and Next-Generation Checkpoints",
        "Pseudoprogression and Hyperprogression",
        "Uveal Melanoma: Tebentafusp and Liver-Directed Therapy",
    ],
    "Pediatric Oncology": [
        "Pediatric Acute Lymphoblastic Leukemia: Blinatumomab Upfront",
        "Neuroblastoma: Anti-GD2 Therapy and Long-Term Outcomes",
        "Pediatric Brain Tumors: Molecular Classification in Practice",
        "Ewing Sarcoma and Osteosarcoma: New Directions",
        "Wilms Tumor and Other Renal Tumors of Childhood",
        "Transition of Care for Childhood Cancer Survivors",
        "Fertility Preservation in Children and Adolescents",
        "Cancer Predisposition Syndromes in Children",
        "Rhabdomyosarcoma: Risk-Adapted Therapy",
        "Communicating Prognosis with Children and Families",
        "Global Pediatric Oncology: Closing the Survival Gap",
        "Infant Leukemia: KMT2A-Rearranged ALL",
        "Retinoblastoma: Saving Eyes and Lives",
        "Proton Therapy for Pediatric Tumors",
        "Late Effects: Cardiotoxicity and Secondary Cancers",
        "Adolescent and Young Adult Sarcoma Care",
        "Pediatric Palliative Care and Symptom Management",
    ],
    "Supportive and Palliative Care": [
        "Early Palliative Care Integration: From Evidence to Practice",
        "Cancer Pain Management in the Opioid Crisis Era",
        "Chemotherapy-Induced Nausea and Vomiting: 2026 Guideline Update",
        "Cancer-Associated Thrombosis: DOACs, LMWH, and Bleeding Risk",
        "Serious Illness Conversations: Skills Workshop",
        "Cancer Cachexia and Anorexia: Nutrition, Exercise, and Drugs",
        "Chemotherapy-Induced Peripheral Neuropathy",
        "Cardio-Oncology: Anthracyclines, Trastuzumab, and the Heart",
        "Financial Toxicity: Screening and Navigation",
        "Psycho-Oncology: Depression, Anxiety, and Fear of Recurrence",
        "Hospice Referral and End-of-Life Care",
        "Survivorship Care Plans That Work",
        "Malignant Bowel Obstruction",
        "Cancer-Related Fatigue: Exercise as Medicine",
        "Oral Mucositis and Dermatologic Toxicities",
        "Hypercalcemia, Hyponatremia, and Oncologic Emergencies",
        "Geriatric Assessment in Routine Oncology Care",
        "Sleep, Insomnia, and Cancer",
    ],
    "Oncology Nursing": [
        "Oral Anticancer Agents: Patient Education and Adherence",
        "Safe Handling of Hazardous Drugs in the Infusion Center",
        "Extravasation Management and Vesicant Administration",
        "Nurse-Led Symptom Monitoring with Patient-Reported Outcomes",
        "Central Venous Access Devices: Best Practices",
        "Hypersensitivity Reactions: Recognition and Response",
        "Nurse Navigation Across the Cancer Continuum",
        "Compassion Fatigue and Resilience for Oncology Nurses",
        "Telephone Triage in Oncology",
        "Caring for Patients Receiving CAR T-Cell Therapy",
        "Oncology Nursing Certification Review, Part 1",
        "Oncology Nursing Certification Review, Part 2",
        "Infusion Reactions to Monoclonal Antibodies",
        "Caring for Patients on Bispecific Antibodies",
        "Fall Prevention and Mobility in Oncology Units",
        "Advance Care Planning: The Nurse's Role",
        "Neutropenic Precautions: Evidence vs. Tradition",
        "Home Infusion and Ambulatory Pumps",
    ],
    "Oncology Pharmacy": [
        "Drug–Drug Interactions with Oral Targeted Therapies",
        "Dose Adjustments in Renal and Hepatic Impairment",
        "Biosimilars in Oncology: Interchangeability and Formulary Decisions",
        "Chemotherapy Order Verification: Avoiding Errors",
        "USP <797> and <800> Compliance Update",
        "Pharmacogenomics: DPYD, UGT1A1, and TPMT Testing",
        "Pharmacist-Led Oral Chemotherapy Clinics",
        "Drug Shortages: Carboplatin, Cisplatin, and Contingency Planning",
        "Antiemetic Stewardship and Cost-Effective Prescribing",
        "Managing Tumor Lysis Syndrome",
        "Sterile Compounding for Technicians: Aseptic Technique Refresher",
        "Specialty Pharmacy and Access to Oral Oncolytics",
        "Hazardous Drug Handling for Pharmacy Technicians",
        "Anticoagulation in Thrombocytopenic Patients",
        "Oral Chemotherapy Monitoring: Labs, Doses, and Refills",
        "Immunosuppression for Immune-Related Adverse Events",
        "Pharmacy Technician Roles in Investigational Drug Services",
        "Supportive Care Drug Interactions: QTc Prolongation",
    ],
    "Health Services Research": [
        "Value-Based Oncology Care: Lessons from the Enhancing Oncology Model",
        "Racial and Ethnic Disparities in Clinical Trial Enrollment",
        "Telehealth in Oncology After the Public Health Emergency",
        "Rural Cancer Care: Access, Travel, and Outcomes",
        "Real-World Evidence: Promise and Pitfalls",
        "Artificial Intelligence in Oncology Practice",
        "Cost of Cancer Drugs, Prior Authorization, and Patient Access",
        "Quality Measures That Matter to Patients",
        "Decentralized Clinical Trials",
        "Workforce Burnout in Oncology",
        "Cancer Care for Sexual and Gender Minority Patients",
        "Patient Navigation Programs: Measuring Impact",
        "Site-Neutral Payments and the 340B Program",
        "Social Determinants of Health Screening",
        "Clinical Pathways and Guideline Concordance",
        "Hospital at Home for Oncology Patients",
        "Patient-Reported Outcomes in Routine Care",
    ],
    "Developmental Therapeutics": [
        "First-in-Human Trial Design: Project Optimus and Dose Selection",
        "Antibody–Drug Conjugates: Payloads, Linkers, and Toxicities",
        "Targeting KRAS Beyond G12C",
        "Tumor-Agnostic Approvals: NTRK, BRAF, RET, and HER2",
        "Radioligand Therapy: The Next Wave",
        "Synthetic Lethality and DNA Damage Response",
        "Molecular Tumor Boards in Community Practice",
        "Bispecific T-Cell Engagers in Solid Tumors",
        "Protein Degraders: From Bench to Bedside",
        "Expanded Access and Right-to-Try",
        "Phase I Trials for Older Adults",
        "Cell-Free DNA for Early Drug Development Decisions",
        "Oncolytic Viruses and Intratumoral Therapy",
        "Basket and Umbrella Trial Designs",
        "Drug Repurposing in Oncology",
        "Bispecific Antibody–Drug Conjugates",
        "Model-Informed Drug Development: Pharmacometrics 101",
    ],
}

# Sub-topics used to build additional "Oral Abstract Session: ..." style
# titles once the hand-written pool of a track is used up.
SUBTOPICS = {
    "Breast Cancer": ["Early-Stage Disease", "Metastatic HR-Positive Disease",
                      "HER2-Positive Disease", "Triple-Negative Disease",
                      "Local-Regional Therapy", "Survivorship"],
    "Lung Cancer": ["Non-Small Cell Metastatic", "Non-Small Cell Local-Regional",
                    "Small Cell and Neuroendocrine", "Screening and Prevention",
                    "Targeted Therapy", "Immunotherapy"],
    "Gastrointestinal Cancer": ["Colorectal and Anal", "Gastroesophageal",
                                "Hepatobiliary", "Pancreatic",
                                "Neuroendocrine", "Molecular Profiling"],
    "Genitourinary Cancer": ["Prostate", "Kidney", "Bladder and Urothelial",
                             "Testicular", "Imaging and Biomarkers",
                             "Radiotherapy"],
    "Hematologic Malignancies": ["Lymphoma", "Myeloma", "Leukemia",
                                 "Cellular Therapy", "Myeloid Neoplasms",
                                 "Transplantation"],
    "Immuno-Oncology": ["Melanoma", "Biomarkers", "Toxicity",
                        "Novel Agents", "Combinations", "Cutaneous Oncology"],
    "Pediatric Oncology": ["Leukemia and Lymphoma", "Solid Tumors",
                           "Neuro-Oncology", "Survivorship",
                           "Supportive Care", "Global Health"],
    "Supportive and Palliative Care": ["Symptom Science", "Palliative Care",
                                       "Geriatric Oncology", "Survivorship",
                                       "Psychosocial Oncology", "Cardio-Oncology"],
    "Oncology Nursing": ["Symptom Management", "Patient Education",
                         "Advanced Practice", "Infusion Safety",
                         "Nursing Research", "Professional Practice"],
    "Oncology Pharmacy": ["Clinical Pharmacology", "Medication Safety",
                          "Pharmacy Practice", "Medication Stewardship",
                          "Pharmacogenomics", "Technician Practice"],
    "Health Services Research": ["Care Delivery", "Equity and Disparities",
                                 "Cost and Value", "Quality Improvement",
                                 "Digital Health", "Clinical Trial Access"],
    "Developmental Therapeutics": ["Phase I Trials", "Molecularly Targeted Agents",
                                   "Immunotherapy Early Phase", "Novel Modalities",
                                   "Pharmacology", "Translational Science"],
}

ABSTRACT_FORMATS = ["Oral Abstract Session", "Poster Discussion Session",
                    "Rapid Abstract Session", "Clinical Science Symposium"]

PLENARIES = {
    # day index: (start, end, title, track)
    0: ("09:00", "10:30",
        "Opening Session: Presidential Address and the State of Cancer Care",
        "Health Services Research"),
    1: ("09:00", "10:30",
        "Plenary Session: Practice-Changing Trials in Lung and Breast Cancer",
        "Lung Cancer"),
    2: ("09:00", "10:30",
        "Plenary Session: Late-Breaking Abstracts – Immunotherapy",
        "Immuno-Oncology"),
    3: ("09:00", "10:15",
        "Plenary Session: Frontiers in Targeted Therapy and Drug Development",
        "Developmental Therapeutics"),
}

POSTERS = [
    # (day index, start, end, title)
    (0, "08:00", "11:00",
     "Poster Session A: Breast Cancer, Gynecologic and Skin Malignancies"),
    (1, "13:15", "16:15",
     "Poster Session B: Lung, Head and Neck, and Thoracic Cancers"),
    (2, "08:00", "11:00",
     "Poster Session C: Gastrointestinal and Genitourinary Cancers"),
    (3, "13:15", "16:15",
     "Poster Session D: Hematologic Malignancies and Cellular Therapy"),
    (4, "08:00", "10:30",
     "Poster Session E: Supportive Care, Nursing, Pharmacy, and Health Services"),
]

# Two certified lunch sessions (most lunch symposia are not certified and are
# therefore simply not listed).
LUNCH_SESSIONS = [
    (1, "12:05", "12:55", "S406",
     "Lunch Workshop: Hazardous Drug Spill Response, Hands-On", "Oncology Nursing"),
    (2, "12:05", "12:55", "E451",
     "Lunch Workshop: Reading a Pharmacokinetic Study, Step by Step",
     "Oncology Pharmacy"),
]

# Probabilities of each credit type by track (AMA handled separately).
ANCC_P = {
    "Oncology Nursing": 1.0, "Supportive and Palliative Care": 0.95,
    "Oncology Pharmacy": 0.7, "Hematologic Malignancies": 0.7,
    "Immuno-Oncology": 0.75, "Pediatric Oncology": 0.7,
}
ANCC_DEFAULT = 0.5
ACPE_P = {
    "Oncology Pharmacy": 1.0, "Oncology Nursing": 0.45,
    "Supportive and Palliative Care": 0.55, "Hematologic Malignancies": 0.5,
    "Immuno-Oncology": 0.35, "Developmental Therapeutics": 0.25,
}
ACPE_DEFAULT = 0.08
MOC_P = {
    "Oncology Nursing": 0.0, "Oncology Pharmacy": 0.05,
    "Supportive and Palliative Care": 0.35, "Health Services Research": 0.25,
}
MOC_DEFAULT = 0.55


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def hm(s):
    h, m = s.split(":")
    return int(h) * 60 + int(m)


def fmt_minutes(day, minutes):
    return "%sT%02d:%02d" % (day.isoformat(), minutes // 60, minutes % 60)


def fmt_credits(q):
    """q is a number of quarter hours."""
    whole, frac = divmod(q, 4)
    if frac == 0:
        return str(whole)
    return ("%d.%02d" % (whole, frac * 25)).rstrip("0")


class TitlePicker:
    def __init__(self, rng):
        self.rng = rng
        self.pools = {}
        self.extra = {}
        self.used = set()
        for t in TRACKS:
            extra = ["%s: %s" % (f, s) for s in SUBTOPICS[t]
                     for f in ABSTRACT_FORMATS]
            rng.shuffle(extra)
            # Mix the hand-written titles with some abstract-session titles so
            # that every day of the meeting gets a bit of both.
            pool = list(TITLES[t]) + extra[:6]
            rng.shuffle(pool)
            self.pools[t] = pool
            self.extra[t] = extra[6:]

    def pick(self, track):
        for source in (self.pools[track], self.extra[track]):
            while source:
                title = source.pop()
                if title not in self.used:
                    self.used.add(title)
                    return title
        raise RuntimeError("ran out of titles for " + track)


def fill_block(rng, start, end, durations, gaps):
    """Place sessions back to back (or with short gaps) inside [start, end]."""
    out = []
    t = start
    while True:
        fitting = [d for d in durations if t + d <= end]
        if not fitting:
            break
        d = rng.choice(fitting)
        out.append((t, t + d))
        t += d + rng.choice(gaps)
    return out


# ---------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------

def build_sessions(rng):
    titles = TitlePicker(rng)
    raw = []  # dicts without id / uan

    def add(day, start, end, title, track, room, kind="talk"):
        raw.append(dict(day=day, start=start, end=end, title=title,
                        track=track, room=room, kind=kind))

    durations = [45, 50, 60, 60, 75, 75, 75, 90, 90, 100, 120]
    gaps = [0, 0, 0, 15, 15, 30]

    for di, day in enumerate(EVENT_DAYS):
        half_day = di == 4
        # Rotate tracks over rooms so that every track appears most days.
        order = TRACKS[:]
        rng.shuffle(order)
        rooms = PARALLEL_ROOMS + ([] if half_day else [PLENARY_ROOM])
        am_tracks = {r: order[i % len(order)] for i, r in enumerate(PARALLEL_ROOMS)}
        pm_order = order[len(PARALLEL_ROOMS):] + order[:len(PARALLEL_ROOMS)]
        pm_tracks = {r: pm_order[i % len(pm_order)] for i, r in enumerate(rooms)}

        # Early-morning education sessions.
        for r in PARALLEL_ROOMS:
            roll = rng.random()
            if roll < 0.15:
                continue  # room dark early
            if roll < 0.30:
                s, e = hm("07:00"), hm("08:00")
            elif roll < 0.40:
                s, e = hm("08:00"), hm("08:45")
            else:
                s, e = hm("07:30"), hm("08:45")
            add(day, s, e, titles.pick(am_tracks[r]), am_tracks[r], r)

        # Plenary.
        if di in PLENARIES:
            ps, pe, ptitle, ptrack = PLENARIES[di]
            add(day, hm(ps), hm(pe), ptitle, ptrack, PLENARY_ROOM, "plenary")

        # Mid-morning parallel blocks.
        am_end = hm("12:45") if half_day else hm("12:00")
        for r in PARALLEL_ROOMS:
            start = hm(rng.choice(["09:00", "09:00", "09:15", "10:00", "10:45"]))
            for s, e in fill_block(rng, start, am_end, durations, gaps):
                add(day, s, e, titles.pick(am_tracks[r]), am_tracks[r], r)

        if half_day:
            continue

        # Afternoon blocks (Hall B1 joins after the plenary).
        for r in rooms:
            track = pm_tracks[r]
            start = hm(rng.choice(["13:00", "13:00", "13:15", "13:30"]))
            end = hm("17:30")
            for s, e in fill_block(rng, start, end, durations, gaps):
                add(day, s, e, titles.pick(track), track, r)

    for di, s, e, title in POSTERS:
        add(EVENT_DAYS[di], hm(s), hm(e), title, POSTER_TRACK, POSTER_ROOM, "poster")
    for di, s, e, room, title, track in LUNCH_SESSIONS:
        add(EVENT_DAYS[di], hm(s), hm(e), title, track, room, "lunch")

    # Credits and credit types.
    for sess in raw:
        dur = sess["end"] - sess["start"]
        q = dur // 15  # quarter hours, rounded down
        track, kind = sess["track"], sess["kind"]
        if kind == "poster":
            q = max(4, q - rng.choice([0, 2, 4]))  # posters partly certified
            types = ["AMA"]
        else:
            if q >= 3 and rng.random() < 0.12:
                q -= 1  # e.g. non-certified welcome/industry segment
            types = []
            ama = True
            ancc = rng.random() < ANCC_P.get(track, ANCC_DEFAULT)
            acpe = rng.random() < ACPE_P.get(track, ACPE_DEFAULT)
            if track in ("Oncology Nursing", "Oncology Pharmacy") and rng.random() < 0.2:
                # A handful of nursing- / pharmacy-only workshops.
                ama = False
                if track == "Oncology Nursing":
                    ancc, acpe = True, False
                else:
                    ancc, acpe = False, True
            moc = ama and rng.random() < MOC_P.get(track, MOC_DEFAULT)
            if kind == "plenary":
                ama, ancc, moc = True, True, True
            if ama:
                types.append("AMA")
            if ancc:
                types.append("ANCC")
            if acpe:
                types.append("ACPE")
            if moc:
                types.append("MOC")
        sess["q"] = q
        sess["types"] = types

    raw.sort(key=lambda x: (x["day"], x["start"], x["room"], x["end"]))

    rows = []
    uan_no = 0
    for i, sess in enumerate(raw, 1):
        uan = ""
        if "ACPE" in sess["types"]:
            uan_no += 1
            base = "%s-%03d-L01" % (ACPE_PROVIDER, uan_no)
            uan = base + "-P"
            if sess["track"] == "Oncology Pharmacy" and rng.random() < 0.6:
                uan += ";" + base + "-T"
        rows.append([
            "S%03d" % i,
            sess["title"],
            fmt_minutes(sess["day"], sess["start"]),
            fmt_minutes(sess["day"], sess["end"]),
            fmt_credits(sess["q"]),
            ";".join(sess["types"]),
            sess["track"],
            sess["room"],
            uan,
        ])
    return rows


# ---------------------------------------------------------------------------
# Attendees
# ---------------------------------------------------------------------------

# Latin-script name pools: culture -> (first names, last names, countries)
LATIN = {
    "english": (
        ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David",
         "Linda", "William", "Elizabeth", "Sarah", "Thomas", "Jessica", "Emily",
         "Christopher", "Ashley", "Matthew", "Amanda", "Andrew", "Megan",
         "Joshua", "Rachel", "Kevin", "Lauren", "Brian", "Hannah", "Tyler",
         "Olivia", "Nathan", "Grace", "Marcus", "Keisha", "DeShawn", "Tamika",
         "Connor", "Abigail", "Ethan", "Madison", "Samuel", "Chloe"],
        ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
         "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "White",
         "Harris", "Martin", "Thompson", "Robinson", "Clark", "Lewis", "Walker",
         "Hall", "Allen", "Young", "King", "Wright", "Scott", "Green", "Baker",
         "Adams", "Nelson", "Carter", "Mitchell", "Roberts", "Campbell",
         "Murphy", "Washington", "Brooks", "Coleman", "Fitzgerald"],
        ["United States"] * 8 + ["Canada", "United Kingdom", "Australia"]),
    "spanish": (
        ["José", "María", "Juan", "Lucía", "Jesús", "Sofía", "Andrés",
         "Ángela", "Álvaro", "Inés", "Raúl", "Begoña", "Rocío", "Ramón",
         "Alejandro", "Carmen", "Víctor", "Mónica", "Iñaki", "Verónica"],
        ["Núñez", "García", "Rodríguez", "Martínez", "Hernández", "López",
         "González", "Pérez", "Sánchez", "Ramírez", "Ibáñez", "Muñoz",
         "Jiménez", "Gutiérrez", "Castañeda", "Peña", "Ordóñez", "Suárez",
         "Domínguez", "Vázquez"],
        ["Spain", "Mexico", "Argentina", "Colombia", "Chile", "United States",
         "United States"]),
    "portuguese": (
        ["João", "Conceição", "Gonçalo", "Maria João", "Antônio", "Luíza",
         "Sebastião", "Letícia", "Tomás", "Bárbara"],
        ["Gonçalves", "Magalhães", "Araújo", "Conceição", "Simões", "Falcão",
         "Guimarães", "Brandão", "Gonçalves da Silva", "Assunção"],
        ["Brazil", "Brazil", "Portugal"]),
    "french": (
        ["Zoë", "Hélène", "Françoise", "Jérôme", "Benoît", "Gaëlle", "Anaïs",
         "Cécile", "Stéphane", "Noël", "Anne-Marie", "Jean-François", "Maëlys",
         "Éloïse", "Loïc"],
        ["Lefèvre", "Rousseau", "Bérubé", "Gagné", "Lemaître", "Dubois",
         "Moreau", "Fournier", "Girard", "Côté", "Bélanger", "Lévesque",
         "Mercier", "Roux"],
        ["France", "France", "Canada", "Belgium", "Switzerland"]),
    "german": (
        ["Jürgen", "Jörg", "Günther", "Käthe", "Björn", "Ursula", "Dieter",
         "Sören", "Lea", "Maximilian", "Friederike", "Matthäus"],
        ["Müller", "Schröder", "Weiß", "Größ", "Schäfer", "Köhler", "Krüger",
         "Hoffmann", "Bäcker", "Jäger", "Schulze-Hartmann",
         "von Bülow"],
        ["Germany", "Germany", "Austria", "Switzerland"]),
    "polish": (
        ["Łukasz", "Małgorzata", "Agnieszka", "Wojciech", "Paweł", "Zofia",
         "Krzysztof", "Bożena", "Jędrzej", "Grażyna"],
        ["Wójcik", "Kowalczyk", "Nowak", "Błaszczyk", "Sikora",
         "Mazur", "Krawczyk", "Woźniak", "Żak", "Pietrzak"],
        ["Poland", "Poland", "United States"]),
    "turkish": (
        ["Gülşen", "Çağlar", "İbrahim", "Şule", "Oğuz", "Ayşe", "Ömer", "Dilek"],
        ["Şahin", "Öztürk", "Yıldız", "Çelik", "Aydın", "Doğan", "Kılıç", "Güneş"],
        ["Turkey", "Turkey", "Germany"]),
    "vietnamese": (
        ["Thị Lan", "Văn Minh", "Thị Hương", "Đức Anh", "Thu Trang",
         "Quốc Bảo", "Ngọc Ánh"],
        ["Nguyễn", "Trần", "Phạm", "Lê", "Đặng", "Huỳnh", "Võ"],
        ["Vietnam", "United States", "Australia"]),
    "irish": (
        ["Siobhán", "Seán", "Aoife", "Niamh", "Pádraig", "Caoimhe", "Eoin",
         "Róisín"],
        ["O'Brien", "O'Connor", "Ó Súilleabháin", "MacCárthaigh", "O'Neill",
         "Ní Bhriain", "Mac Giolla Phádraig", "O'Sullivan"],
        ["Ireland", "Ireland", "United Kingdom", "United States"]),
    "dutch": (
        ["Sanne", "Joost", "Maartje", "Sjoerd", "Femke", "Thijs", "Anouk", "Ruud"],
        ["van der Berg", "de Vries", "van den Heuvel", "van Dijk", "Bakker",
         "de Jong", "van 't Hof", "Janssen"],
        ["Netherlands", "Netherlands", "Belgium"]),
    "nordic": (
        ["Søren", "Åsa", "Bjørn", "Øyvind", "Ingrid", "Mette", "Sigrún", "Sigríður"],
        ["Lindqvist", "Østergaard", "Halvorsen", "Sjöberg", "Berglund",
         "Jørgensen", "Åkesson", "Nyström"],
        ["Denmark", "Norway", "Sweden", "Iceland"]),
    "italian": (
        ["Giuseppe", "Niccolò", "Francesca", "Chiara", "Alessandro", "Giulia",
         "Raffaele", "Beatrice"],
        ["D'Angelo", "Esposito", "Ferrari", "Dell'Acqua", "Romano", "Ricci",
         "De Luca", "Colombo"],
        ["Italy", "Italy", "United States"]),
    "west_african": (
        ["Chukwuemeka", "Adébáyọ̀", "Ngozi", "Oluwaseun", "Chiamaka", "Kwame",
         "Ama", "Yetunde"],
        ["Okafor", "Adeyemi", "Nwosu", "Oyèláràn", "Mensah", "Okonkwo",
         "Babátúndé", "Eze"],
        ["Nigeria", "Ghana", "United States", "United Kingdom"]),
    "south_asian_latin": (
        ["Priya", "Rahul", "Ananya", "Venkatesh", "Sunita", "Arjun", "Deepika",
         "Imran"],
        ["Raghunathan", "Subramanian", "Patel", "Chakraborty", "Iyer",
         "Venkataraman", "Khan", "Bhattacharya"],
        ["India", "United States", "United States", "United Kingdom"]),
    "czech": (
        ["Jiří", "Kateřina", "Tomáš", "Lenka"],
        ["Dvořák", "Novák", "Procházka", "Kovář"],
        ["Czechia"]),
}

LATIN_WEIGHTS = {
    "english": 40, "spanish": 10, "portuguese": 4, "french": 5, "german": 4,
    "polish": 3, "turkish": 2, "vietnamese": 3, "irish": 3, "dutch": 2,
    "nordic": 2, "italian": 3, "west_african": 4, "south_asian_latin": 6,
    "czech": 1,
}

# Non-Latin-script name pools: culture -> (first names, last names, countries,
# weight). Each name is (native spelling, ASCII romanization for the e-mail).
NATIVE = {
    "chinese": (
        [("芳", "fang"), ("伟", "wei"), ("敏", "min"), ("洋", "yang"),
         ("静", "jing"), ("志明", "zhiming"), ("晓燕", "xiaoyan"), ("浩然", "haoran")],
        [("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"),
         ("陈", "chen"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu")],
        ["China", "China", "Singapore", "United States"], 10),
    "japanese": (
        [("花子", "hanako"), ("一郎", "ichiro"), ("美咲", "misaki"),
         ("健太", "kenta"), ("由美", "yumi"), ("大輔", "daisuke")],
        [("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"),
         ("田中", "tanaka"), ("渡辺", "watanabe"), ("伊藤", "ito")],
        ["Japan"], 7),
    "korean": (
        [("민준", "minjun"), ("서연", "seoyeon"), ("지훈", "jihoon"),
         ("수빈", "subin"), ("현우", "hyunwoo"), ("지은", "jieun")],
        [("김", "kim"), ("이", "lee"), ("박", "park"), ("최", "choi"),
         ("정", "jung"), ("강", "kang")],
        ["South Korea", "South Korea", "United States"], 7),
    "arabic": (
        [("محمد", "mohammed"), ("فاطمة", "fatima"), ("أحمد", "ahmad"),
         ("ليلى", "layla"), ("يوسف", "youssef"), ("نور", "nour")],
        [("العلي", "alali"), ("الحسن", "alhassan"), ("حداد", "haddad"),
         ("منصور", "mansour"), ("خوري", "khoury"), ("الشمري", "alshammari")],
        ["Saudi Arabia", "Egypt", "Jordan", "Lebanon"], 6),
    "hindi": (
        [("प्रिया", "priya"), ("राहुल", "rahul"), ("अनन्या", "ananya"),
         ("विक्रम", "vikram"), ("स्नेहा", "sneha")],
        [("शर्मा", "sharma"), ("वर्मा", "verma"), ("गुप्ता", "gupta"),
         ("सिंह", "singh"), ("जोशी", "joshi")],
        ["India"], 5),
    "greek": (
        [("Γιώργος", "giorgos"), ("Ελένη", "eleni"), ("Δημήτρης", "dimitris"),
         ("Μαρία", "maria")],
        [("Παπαδόπουλος", "papadopoulos"), ("Νικολάου", "nikolaou"),
         ("Γεωργίου", "georgiou"), ("Οικονόμου", "oikonomou")],
        ["Greece", "Greece", "Cyprus"], 3),
    "russian": (
        [("Алексей", "aleksei"), ("Дмитрий", "dmitrii"), ("Сергей", "sergei"),
         ("Андрей", "andrei")],
        [("Смирнов", "smirnov"), ("Кузнецов", "kuznetsov"), ("Попов", "popov"),
         ("Соколов", "sokolov")],
        ["Russia", "Russia", "Kazakhstan"], 3),
    "russian_f": (
        [("Ольга", "olga"), ("Наталья", "natalia"), ("Екатерина", "ekaterina")],
        [("Иванова", "ivanova"), ("Смирнова", "smirnova"), ("Петрова", "petrova")],
        ["Russia"], 2),
    "ukrainian": (
        [("Олена", "olena"), ("Тарас", "taras"), ("Оксана", "oksana")],
        [("Шевченко", "shevchenko"), ("Коваленко", "kovalenko"),
         ("Бондаренко", "bondarenko")],
        ["Ukraine"], 2),
    "hebrew": (
        [("נועה", "noa"), ("יוסי", "yossi"), ("מיכל", "michal")],
        [("כהן", "cohen"), ("לוי", "levi"), ("מזרחי", "mizrahi")],
        ["Israel"], 2),
    "thai": (
        [("สมชาย", "somchai"), ("สุดา", "suda")],
        [("ใจดี", "jaidee"), ("ศรีสุข", "srisuk")],
        ["Thailand"], 1),
    "armenian": (
        [("Արամ", "aram"), ("Անի", "ani")],
        [("Պետրոսյան", "petrosyan"), ("Հակոբյան", "hakobyan")],
        ["Armenia"], 1),
    "georgian": (
        [("ნინო", "nino"), ("გიორგი", "giorgi")],
        [("ბერიძე", "beridze"), ("კაპანაძე", "kapanadze")],
        ["Georgia"], 1),
}

ORGS = {
    "United States": [
        "Northwestern Medicine, Robert H. Lurie Comprehensive Cancer Center",
        "University of Chicago Medicine",
        "Rush University Medical Center",
        "The University of Texas MD Anderson Cancer Center",
        "Memorial Sloan Kettering Cancer Center",
        "Dana-Farber Cancer Institute",
        "Mayo Clinic, Rochester",
        "University of California, San Francisco",
        "Cleveland Clinic Taussig Cancer Institute",
        "Fred Hutchinson Cancer Center",
        "Moffitt Cancer Center",
        "Johns Hopkins Sidney Kimmel Comprehensive Cancer Center",
        "Advocate Aurora Health, Park Ridge",
        "Loyola University Medical Center",
        "Siteman Cancer Center, Washington University in St. Louis",
        "Baptist Health Miami Cancer Institute",
        "Providence Cancer Institute",
        "Texas Oncology",
        "St. Jude Children's Research Hospital",
        "Ann & Robert H. Lurie Children's Hospital of Chicago",
    ],
    "Canada": ["Princess Margaret Cancer Centre, Toronto",
               "BC Cancer – Vancouver", "CHU de Québec – Université Laval",
               "Centre hospitalier de l'Université de Montréal (CHUM)"],
    "United Kingdom": ["The Royal Marsden NHS Foundation Trust",
                       "The Christie NHS Foundation Trust, Manchester",
                       "Guy's and St Thomas' NHS Foundation Trust"],
    "Australia": ["Peter MacCallum Cancer Centre",
                  "Chris O'Brien Lifehouse, Sydney"],
    "Spain": ["Hospital Universitari Vall d'Hebron",
              "Hospital Universitario 12 de Octubre, Madrid"],
    "Mexico": ["Instituto Nacional de Cancerología (INCan)"],
    "Argentina": ["Instituto Alexander Fleming, Buenos Aires"],
    "Colombia": ["Instituto Nacional de Cancerología, Bogotá"],
    "Chile": ["Fundación Arturo López Pérez"],
    "Brazil": ["Instituto do Câncer do Estado de São Paulo (ICESP)",
               "Hospital Israelita Albert Einstein"],
    "Portugal": ["Instituto Português de Oncologia do Porto"],
    "France": ["Gustave Roussy", "Hôpital Européen Georges-Pompidou",
               "Institut Curie, Paris"],
    "Belgium": ["Cliniques universitaires Saint-Luc, Bruxelles",
                "UZ Leuven"],
    "Switzerland": ["Universitätsspital Zürich",
                    "Hôpitaux Universitaires de Genève (HUG)"],
    "Germany": ["Charité – Universitätsmedizin Berlin",
                "Deutsches Krebsforschungszentrum (DKFZ), Heidelberg",
                "Universitätsklinikum Köln"],
    "Austria": ["Medizinische Universität Wien"],
    "Poland": ["Maria Skłodowska-Curie National Research Institute of Oncology"],
    "Turkey": ["Hacettepe Üniversitesi Onkoloji Enstitüsü"],
    "Vietnam": ["Bệnh viện K (Vietnam National Cancer Hospital)"],
    "Ireland": ["St. James's Hospital, Dublin", "Cork University Hospital"],
    "Netherlands": ["Netherlands Cancer Institute – Antoni van Leeuwenhoek",
                    "Erasmus MC, Rotterdam"],
    "Denmark": ["Rigshospitalet, Copenhagen"],
    "Norway": ["Oslo universitetssykehus"],
    "Sweden": ["Karolinska Universitetssjukhuset"],
    "Iceland": ["Landspítali – The National University Hospital of Iceland"],
    "Italy": ["Istituto Nazionale dei Tumori, Milano",
              "Istituto Europeo di Oncologia (IEO)"],
    "Nigeria": ["Lagos University Teaching Hospital"],
    "Ghana": ["Korle Bu Teaching Hospital, Accra"],
    "India": ["Tata Memorial Hospital, Mumbai", "All India Institute of Medical Sciences, New Delhi"],
    "Czechia": ["Masarykův onkologický ústav, Brno"],
    "China": ["Sun Yat-sen University Cancer Center", "复旦大学附属肿瘤医院"],
    "Singapore": ["National Cancer Centre Singapore"],
    "Taiwan": ["National Taiwan University Hospital"],
    "Japan": ["国立がん研究センター中央病院", "Cancer Institute Hospital of JFCR, Tokyo"],
    "South Korea": ["Seoul National University Hospital", "Samsung Medical Center"],
    "Saudi Arabia": ["King Faisal Specialist Hospital & Research Centre, Riyadh"],
    "Egypt": ["National Cancer Institute, Cairo University"],
    "Jordan": ["King Hussein Cancer Center"],
    "Lebanon": ["American University of Beirut Medical Center"],
    "Greece": ["Agios Savvas Anticancer Hospital, Athens"],
    "Cyprus": ["Bank of Cyprus Oncology Centre"],
    "Russia": ["N.N. Blokhin National Medical Research Center of Oncology"],
    "Kazakhstan": ["Kazakh Institute of Oncology and Radiology"],
    "Ukraine": ["National Cancer Institute, Kyiv"],
    "Israel": ["Sheba Medical Center", "Rabin Medical Center – Davidoff Cancer Center"],
    "Thailand": ["Ramathibodi Hospital, Mahidol University"],
    "Armenia": ["Yeolyan Hematology and Oncology Center"],
    "Georgia": ["Todua Clinic, Tbilisi"],
}

DEGREES = {
    "physician": [("MD", 55), ("DO", 12), ("MBBS", 9), ("MD PhD", 5),
                  ("MD, PhD", 10), ("MD, MPH", 4), ("MD, MSc", 3), ("MBChB", 2)],
    "physician_assistant": [("PA-C", 85), ("PA-C, MPAS", 10), ("PA-C, MMS", 5)],
    "nurse": [("RN", 25), ("RN, BSN", 25), ("NP", 12), ("MSN", 10),
              ("MSN, RN, OCN", 10), ("DNP, APRN", 8), ("BSN, RN, OCN", 10)],
    "pharmacist": [("PharmD", 50), ("RPh", 15), ("PharmD, BCOP", 35)],
    "other": [("PhD", 40), ("MS", 20), ("MPH", 15), ("BS", 10),
              ("PhD, MPH", 8), ("MSW", 4), ("RD", 3)],
}

PROFESSION_COUNTS = {
    "physician": 170,
    "physician_assistant": 34,
    "nurse": 51,
    "pharmacist": 41,  # includes 5 CPhT technicians
    "other": 44,
}
N_TECHNICIANS = 5

TRANSLIT = {
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "ß": "ss",
    "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d",
    "œ": "oe", "Œ": "oe",
}


def ascii_slug(s):
    s = "".join(TRANSLIT.get(c, c) for c in s)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.lower()
    return "".join(c for c in s if c.isascii() and (c.isalnum() or c == "-"))


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    acc = 0
    for v, w in pairs:
        acc += w
        if x <= acc:
            return v
    return pairs[-1][0]


# Fixed attendees: (badge, first, last, degree, profession, email_first,
# email_last, country, organization or None)
FIXED = [
    ("A0012345", "Amelia", "Okafor", "MD", "physician", None, None,
     "United States", "Northwestern Medicine, Robert H. Lurie Comprehensive Cancer Center"),
    ("A0020001", "Rosa", "Delgado", "PharmD", "pharmacist", None, None,
     "United States", "University of Chicago Medicine"),
    ("A0020002", "Keisha", "Williams", "RN, BSN", "nurse", None, None,
     "United States", "Rush University Medical Center"),
    ("A0020003", "Daniel", "Kowalski", "PA-C", "physician_assistant", None, None,
     "United States", "Loyola University Medical Center"),
    ("A0020004", "Ingrid", "Halvorsen", "PhD", "other", None, None,
     "Norway", "Oslo universitetssykehus"),
    ("A0020005", "Tyler", "Brooks", "CPhT", "pharmacist", None, None,
     "United States", "Advocate Aurora Health, Park Ridge"),
]

# Hand-picked edge-case names that are always present (badge ids random).
SHOWCASE = [
    ("Siobhán", "O'Brien", None, None, "Ireland"),
    ("Anne-Marie", "Dupont-Leroy", None, None, "France"),
    ("Olivia", "Smith-Jones", None, None, "United Kingdom"),
    ("Pieter", "van der Berg", None, None, "Netherlands"),
    ("María Guadalupe", "Fernández de Córdoba y Villalobos-Echeverría", None, None, "Mexico"),
    ("Jürgen", "Müller", None, None, "Germany"),
    ("Þórunn", "Guðmundsdóttir", None, None, "Iceland"),
    ("Friederike", "Wolfeschlegelsteinhausenbergerdorff", None, None, "Germany"),
    ("Grzegorz", "Brzęczyszczykiewicz", None, None, "Poland"),
    ("Łukasz", "Wójcik", None, None, "Poland"),
    ("Gülşen", "Yıldırım", None, None, "Turkey"),
    ("Thị Hoa", "Nguyễn", None, None, "Vietnam"),
    ("José", "Núñez", None, None, "Spain"),
    ("João", "Magalhães", None, None, "Brazil"),
    ("Zoë", "Lefèvre", None, None, "France"),
    ("Hélène", "Bérubé", None, None, "Canada"),
    ("芳", "王", "fang", "wang", "China"),
    ("花子", "佐藤", "hanako", "sato", "Japan"),
    ("민준", "김", "minjun", "kim", "South Korea"),
    ("محمد", "العلي", "mohammed", "alali", "Saudi Arabia"),
    ("प्रिया", "शर्मा", "priya", "sharma", "India"),
    ("Γιώργος", "Παπαδόπουλος", "giorgos", "papadopoulos", "Greece"),
    ("Алексей", "Смирнов", "aleksei", "smirnov", "Russia"),
]

DOMAINS = ["example.org", "example.org", "example.com", "example.net"]


def build_attendees(rng):
    # Profession list with exact counts, fixed attendees removed.
    professions = []
    for prof, n in PROFESSION_COUNTS.items():
        n -= sum(1 for f in FIXED if f[4] == prof)
        professions.extend([prof] * n)
    rng.shuffle(professions)

    emails = set()
    names_seen = set()
    rows = []

    def make_email(first_slug, last_slug):
        first_slug = first_slug or "guest"
        last_slug = last_slug or "attendee"
        base = "%s.%s" % (first_slug, last_slug)
        candidates = [base, "%s.%s" % (first_slug[0], last_slug)] + \
                     ["%s%d" % (base, k) for k in range(2, 100)]
        domain = rng.choice(DOMAINS)
        for c in candidates:
            e = "%s@%s" % (c, domain)
            if e not in emails:
                emails.add(e)
                return e
        raise RuntimeError("email space exhausted")

    def pick_org(country):
        return rng.choice(ORGS[country])

    used_badges = set(f[0] for f in FIXED)

    def new_badge():
        while True:
            b = "A%07d" % rng.randint(10000, 99999)
            if b not in used_badges:
                used_badges.add(b)
                return b

    for badge, first, last, degree, prof, ef, el, country, org in FIXED:
        email = make_email(ef or ascii_slug(first), el or ascii_slug(last))
        if badge == "A0012345":
            emails.discard(email)
            email = "amelia.okafor@example.org"
            emails.add(email)
        rows.append([badge, first, last, degree, prof, email, org, country])
        names_seen.add((first, last))

    native_quota = round(0.15 * len(professions))
    native_count = sum(1 for s in SHOWCASE if s[2] is not None)
    latin_cultures = [(k, w) for k, w in LATIN_WEIGHTS.items()]
    native_cultures = [(k, v[3]) for k, v in NATIVE.items()]

    def degree_for(prof):
        return weighted(rng, DEGREES[prof])

    techs_left = N_TECHNICIANS - sum(1 for f in FIXED if f[3] == "CPhT")

    for idx, prof in enumerate(professions):
        if idx < len(SHOWCASE):
            first, last, ef, el, country = SHOWCASE[idx]
        else:
            while True:
                if native_count < native_quota and rng.random() < 0.18:
                    firsts, lasts, countries, _ = NATIVE[weighted(rng, native_cultures)]
                    (first, ef), (last, el) = rng.choice(firsts), rng.choice(lasts)
                    country = rng.choice(countries)
                    is_native = True
                else:
                    culture = weighted(rng, latin_cultures)
                    firsts, lasts, countries = LATIN[culture]
                    first, last = rng.choice(firsts), rng.choice(lasts)
                    ef = el = None
                    country = rng.choice(countries)
                    is_native = False
                if (first, last) not in names_seen:
                    break
            if is_native:
                native_count += 1
        names_seen.add((first, last))
        if prof == "pharmacist" and techs_left > 0 and idx >= len(SHOWCASE):
            degree = "CPhT"
            techs_left -= 1
        else:
            degree = degree_for(prof)
        email = make_email(ef or ascii_slug(first), el or ascii_slug(last))
        rows.append([new_badge(), first, last, degree, prof, email,
                     pick_org(country), country])

    rows.sort(key=lambda r: r[0])
    return rows


# ---------------------------------------------------------------------------

def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out-dir", default=os.path.join(here, "..", "config"))
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)

    # Independent RNG streams so that editing one file's content does not
    # reshuffle the other.
    sessions = build_sessions(random.Random(SEED))
    attendees = build_attendees(random.Random(SEED + 1))

    sp = os.path.join(args.out_dir, "sessions.csv")
    ap_ = os.path.join(args.out_dir, "attendees.csv")
    write_csv(sp, SESSION_HEADER, sessions)
    write_csv(ap_, ATTENDEE_HEADER, attendees)
    print("wrote %d sessions to %s" % (len(sessions), os.path.normpath(sp)))
    print("wrote %d attendees to %s" % (len(attendees), os.path.normpath(ap_)))


if __name__ == "__main__":
    main()
