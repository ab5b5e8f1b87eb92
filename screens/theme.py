"""The app's themes: dark, light and high contrast, with a colour-blind-safe risk palette.

Risk colours follow Okabe and Ito's palette (safe for the common colour-vision deficiencies);
risk is always shown as a word as well as a colour.
"""

from __future__ import annotations

from textual.theme import Theme

RISK_DARK = {
    "risk-high": "#D55E00",
    "risk-medium": "#E69F00",
    "risk-low": "#009E73",
    "risk-none": "#8C8C8C",
}

THEMES = (
    Theme(
        name="cwtt-dark",
        primary="#56B4E9",
        secondary="#0072B2",
        accent="#E69F00",
        foreground="#ECECEC",
        background="#121416",
        surface="#1C2023",
        panel="#262B2F",
        success="#009E73",
        warning="#E69F00",
        error="#D55E00",
        dark=True,
        variables={**RISK_DARK, "footer-key-foreground": "#56B4E9"},
    ),
    Theme(
        name="cwtt-light",
        primary="#0072B2",
        secondary="#56B4E9",
        accent="#B35900",
        foreground="#1A1A1A",
        background="#F7F7F5",
        surface="#FFFFFF",
        panel="#E6E8EA",
        success="#007A5A",
        warning="#B37A00",
        error="#B34700",
        dark=False,
        variables={
            "risk-high": "#B34700",
            "risk-medium": "#B37A00",
            "risk-low": "#007A5A",
            "risk-none": "#6E6E6E",
            "footer-key-foreground": "#0072B2",
        },
    ),
    Theme(
        name="cwtt-high-contrast",
        primary="#FFFF00",
        secondary="#00FFFF",
        accent="#FFFF00",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#1A1A1A",
        success="#00FF7F",
        warning="#FFD700",
        error="#FF5F5F",
        dark=True,
        variables={
            "risk-high": "#FF5F5F",
            "risk-medium": "#FFD700",
            "risk-low": "#00FF7F",
            "risk-none": "#BFBFBF",
            "footer-key-foreground": "#FFFF00",
            "border": "#FFFFFF",
        },
    ),
)

THEME_LABELS = {
    "cwtt-dark": "Dark",
    "cwtt-light": "Light",
    "cwtt-high-contrast": "High contrast",
}
