"""Instruments as data: the questionnaire files, their loader and the interview flow."""
