"""Many partnerships at once: the programme view for funders and networks (issue 23)."""
