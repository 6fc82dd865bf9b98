from intranet.storage import StaticFilesStorage


def test_it_links_plain_file_names_before_collectstatic_has_run(tmp_path):
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")

    assert storage.url("css/confer.css") == "/static/css/confer.css"


def test_it_links_hashed_names_once_collected(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "confer.css").write_text("body{}")
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    storage.hashed_files = {"css/confer.css": "css/confer.0123456789ab.css"}

    assert storage.url("css/confer.css") == "/static/css/confer.0123456789ab.css"
