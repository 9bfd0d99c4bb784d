"""The analysts' web desk in Bahasa Indonesia: server-rendered pages on top of the review service.

`service.web.desk.install_web(app)` adds it to the API app; pages live under /desk.
"""
