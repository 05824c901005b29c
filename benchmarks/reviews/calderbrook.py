"""The review of Calderbrook's drafts, as applied by apply_review.py."""
# ruff: noqa: E501  (review data: one decision per line)
EDITS = {
    "cp-conferences-invitation-gp-practices": {"quote": "GP practices are invited to conferences"},
    "kestrel-cic-referral-childrens-social-care": {"expects_return": True,
        "quote": "Referrals from Kestrel Healthcare CIC to children's social care are appropriate"},
    "emergency-maternity-paediatric-referral-calder-recovery-partnership": {"expects_return": True,
        "quote": "Midwives at Calderbrook Royal Infirmary refer pregnant women who use drugs to Calder Recovery Partnership"},
    "0-19-public-information-mash": {"from": "childrens-social-care", "to": "0-19-public-health", "passes": "plan",
        "inferred": "Child in need plans come from children's social care, which runs the meetings.",
        "quote": "child in need plans are not sent to health visitors after the meeting"},
    "camhs-invitation-0-19-public": {"from": "childrens-social-care", "to": "camhs",
        "quote": "children's social care does not always invite them"},
    "cp-conferences-plan-0-19-public": {"status": "inconsistent",
        "inferred": "The plan is made at the child protection conference the sentence names.",
        "note": "Absent in a third of the cases sampled: it happens, but not always."},
    "0-19-public-referral-childrens-social-care": {"expects_return": True},
    "gp-practices-outcome-0-19-public": {"from": "childrens-social-care",
        "returns": "0-19-public-referral-childrens-social-care",
        "quote": "Children's social care did not tell the health visitor the outcome"},
    "pennine-minds-referral-mash": {"expects_return": True,
        "quote": "adult mental health practitioners refer to the MASH when they identify risk to children"},
    "camhs-request-children-in-care": {"from": "children-in-care-nurses", "to": "camhs", "expects_return": True},
    "children-in-care-response-camhs": {"from": "camhs", "to": "children-in-care-nurses"},
    "kestrel-cic-information-pennine-vale-icb": {"passes": "report"},
    "moorside-community-information-gp-practices": {"from": "0-19-public-health", "passes": "record_access"},
}
REJECT = ["0-19-public-notification-moorside-community",
          "emergency-maternity-paediatric-information-0-19-public",
          "pennine-vale-information-kestrel-cic"]
APPEND = {
"flows.yaml": """
  # Added by hand: the drafts did not propose these.
  - id: recovery-assessment-to-midwives
    from: calder-recovery-partnership
    to: emergency-maternity-paediatric
    passes: assessment
    status: working
    returns: emergency-maternity-paediatric-referral-calder-recovery-partnership
    summary: Calder Recovery Partnership returns a written assessment to the midwife within a week.
    evidence:
      - paragraph: "1.5"
        quote: the partnership returns a written assessment to the midwife within a week

  - id: hv-assessments-to-cin-meetings
    from: 0-19-public-health
    to: cin-meetings
    passes: assessment
    status: working
    summary: Health visitors attend child in need meetings and share their assessments.
    evidence:
      - paragraph: "2.2"
        quote: Health visitors attend child in need meetings and share their assessments

  - id: cp-medicals-to-csc
    from: calderbrook-royal-hospital
    to: childrens-social-care
    passes: report
    status: working
    summary: Paediatricians provide child protection medical reports to children's social care promptly.
    evidence:
      - paragraph: "3.1"
        quote: Paediatricians at Calderbrook Royal Infirmary provide child protection medical reports to children's social care promptly.

  - id: gp-reports-to-cp-conferences
    from: gp-practices
    to: cp-conferences
    passes: report
    status: inconsistent
    summary: GP practices are invited to conferences, but few send a report.
    evidence:
      - paragraph: "3.2"
        quote: GP practices are invited to conferences but few send a report.

  - id: cpis-access-ed
    from: cpis
    to: emergency-maternity-paediatric
    passes: record_access
    status: working
    summary: The emergency department checks CPIS for every child who attends.
    evidence:
      - paragraph: "3.4"
        quote: The emergency department at Calderbrook Royal Infirmary checks CPIS for every child who attends.
    recommendations: []
    recommendations_note: Recommendation 3.1 is about the urgent treatment centre, which cannot access CPIS.

  - id: liaison-information-to-gps
    from: emergency-maternity-paediatric
    to: gp-practices
    passes: information
    status: working
    summary: The paediatric liaison nurse passes information on emergency attendances to GPs.
    evidence:
      - paragraph: "3.5"
        quote: passes information to health visitors, school nurses and GPs. This works well.

  - id: cic-rha-to-gp
    from: children-in-care-nurses
    to: gp-practices
    passes: assessment
    status: working
    summary: The children in care nurses send completed review health assessments to the child's GP.
    inferred: The child's GP is one of the area's GP practices.
    evidence:
      - paragraph: "4.3"
        quote: The children in care nurses send completed review health assessments to the child's GP
""",
"services.yaml": """
  # Added by hand: the ICB commissions general practice (recommendation 1.1 is its duty).
  - id: general-practice
    name: General practice
    provider: gp-practices
    commissioners: [pennine-vale-icb]
""",
"systems.yaml": """  - id: cpis
    name: Child protection information sharing
    aliases: [CPIS]
    used_by: [emergency-maternity-paediatric]
    evidence:
      - paragraph: "3.4"
        quote: checks CPIS for every child who attends
""",
"not_modelled.yaml": """  - paragraph: "1.2"
    why: The sender is a health visiting service in another area, outside this model.
  - paragraph: "1.3"
    why: Schools send the referrals and miss the outcomes; education is not a party in this model.
""",
}
