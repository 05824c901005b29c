"""The review of Harbourside's drafts, as applied by apply_review.py."""
# ruff: noqa: E501  (review data: one decision per line)
EDITS = {
    "acute-hospital-notification-health-visiting-school-2": {"note": "The emergency department's daily attendance notices, not maternity's discharge notices (inconsistent, 1.2)."},
    "acute-hospital-notification-health-visiting-school": {
        "summary": "Maternity services do not always notify health visitors when a vulnerable woman is discharged home."},
    "mash-request-coastline-community-health": {"expects_return": True},
    "coastline-community-health-information-mash": {"passes": "response", "returns": "mash-request-coastline-community-health",
        "quote": "rele-vant information is returned to the MASH on the same day in most cases"},
    "mash-request-gp-practices": {"status": "working", "expects_return": True,
        "note": "The requests go out; it is the answers that are inconsistent (gp-practices-response-mash)."},
    "gp-practices-response-mash": {"status": "inconsistent", "quote": "Requests from the MASH to GP practices are inconsistently answered.",
        "note": "The answers vary; the requests themselves go out (mash-request-gp-practices)."},
    "northgate-mental-health-invitation-camhs": {"from": "childrens-social-care",
        "quote": "they are not always invited by children's social care"},
    "gp-practices-report-cp-conferences": {"status": "inconsistent", "quote": "GPs, however, rarely provide reports to child protection conferences"},
    "cp-conferences-invitation-gp-practices": {"from": "core-groups", "status": "absent",
        "quote": "are not invited to core groups"},
    "acute-hospital-referral-childrens-social-care": {"expects_return": True},
    "marac-outcome-acute-hospital": {"returns": "acute-hospital-information-marac"},
    "acute-hospital-information-marac": {"expects_return": True},
    "strategy-meetings-outcome-health-visiting-school": {"status": "absent",
        "quote": "the outcome of strategy discussions is not shared with the health visitor or school nurse"},
    "looked-after-childrens-referral-camhs": {"status": "working",
        "quote": "CAMHS accept referrals from the looked after children's health team"},
}
REJECT = ["gp-practices-notification-health-visiting-school",  # 1.3: a practice's habit, no flow
          "coastline-community-health-information-acute-hospital",  # 5.2.1: a system, not a flow
          "health-visiting-school-information-acute-hospital"]  # 5.3.2: supervision
APPEND = {
"flows.yaml": """
  # Added by hand: the drafts did not propose these.
  - id: csc-consent-to-iha-paediatricians
    from: childrens-social-care
    to: bayview-hospital
    passes: information
    status: delayed
    summary: Consent forms from children's social care are often missing, which delays initial health assessments.
    evidence:
      - paragraph: "4.2"
        quote: Consent forms from children's social care are often missing, which delays the assessment.

  - id: cpis-access-ed
    from: cpis
    to: acute-hospital
    passes: record_access
    status: working
    summary: Emergency department staff can see on CPIS whether a child is on a child protection plan.
    evidence:
      - paragraph: "5.2.1"
        quote: Staff can view whether a child is on a child protection plan
    recommendations: []
    recommendations_note: Recommendation 2.2 is about the minor injuries unit, which has no access.

  - id: hv-record-access-gp
    from: health-visiting-school-nursing
    to: gp-practices
    passes: record_access
    status: blocked
    summary: GP practices use a different system and cannot view the health visiting record.
    evidence:
      - paragraph: "5.2.2"
        quote: GP practices use a different system and cannot view the health visiting record.
""",
"services.yaml": """
  # Added by hand: the CCG commissions general practice (recommendation 1.2 is its duty).
  - id: general-practice
    name: General practice
    provider: gp-practices
    commissioners: [harbourside-wyre-ccg]
""",
"systems.yaml": """  - id: cpis
    name: Child protection information sharing
    aliases: [CPIS]
    used_by: [acute-hospital]
    evidence:
      - paragraph: "5.2.1"
        quote: Child protection information sharing (CPIS) is live in the emergency department
""",
}
