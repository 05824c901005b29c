"""Reports of any size, in the shapes that once made extraction quadratic (issue 14).

Shared by ``test_extract_linear.py`` (1 MB against 4 MB) and
``benchmarks/bench_hostile.py`` (10 MB).
"""

from __future__ import annotations

WORDS = "GP practices share information with children's social care and the MASH "
RECOMMENDATIONS = "\n\nRecommendations\n\n1. NHS Northmoor CCG should:\n\n1.1 Act on it.\n"


def huge_paragraph(size: int) -> str:
    """One finding of ``size`` bytes, wrapped at 80 columns as a PDF's text is."""
    body = (WORDS * (size // len(WORDS) + 1))[:size]
    lines = "\n".join(body[i:i + 80] for i in range(0, len(body), 80))
    return "The child's journey\n\n1. Early help\n\n1.1 " + lines + RECOMMENDATIONS


def recommendations_lines(size: int) -> str:
    """``size`` bytes of "Recommendations" lines, each a candidate heading."""
    return ("The child's journey\n\n1.1 A finding.\n\n" + "Recommendations\n" * (size // 16)
            + "1. NHS Northmoor CCG should:\n1.1 Act on it.\n")


def many_paragraphs(size: int) -> str:
    """Numbered findings, each citing a recommendation, ``size`` bytes of them."""
    lines, total, i = ["The child's journey", ""], 0, 0
    while total < size:
        i += 1
        line = (f"{i // 100 + 1}.{i % 100 + 1} Health visitors share information with GPs. "
                "Recommendation 1.1")
        lines += [line, ""]
        total += len(line) + 2
    return "\n".join(lines) + RECOMMENDATIONS


def unclosed_group_heading(size: int) -> str:
    """A group heading that runs on for ``size`` bytes and never says "should:"."""
    return ("The child's journey\n\n1.1 A finding.\n\nRecommendations\n\n1. NHS Northmoor CCG "
            + "and Trust and Council " * (size // 22) + "\n1.1 Act on it.\n")


SHAPES = {f.__name__: f for f in (huge_paragraph, recommendations_lines, many_paragraphs,
                                  unclosed_group_heading)}
