"""Reports of an assessment: Jinja2 templates rendered to Markdown, HTML and JSON, the CSV
action plan, the PDF, and report files written whole or not at all."""
