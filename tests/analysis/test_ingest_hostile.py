"""Bad input never aborts an import: each bad file gets a reason, good files still import."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from pypdf.generic import NameObject

from analysis.ingest import SkippedRow, import_paths, read_manifest
from analysis.progress import Cancelled

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
EN = (FIXTURES / "article_en.txt").read_text(encoding="utf-8")


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(EN, encoding="utf-8")
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n  \n", encoding="utf-8")
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    (folder / ".hidden.txt").write_text(EN, encoding="utf-8")
    (folder / "__MACOSX").mkdir()
    (folder / "__MACOSX" / "._good.txt").write_bytes(b"\x00\x05\x16\x07")
    big = folder / "huge.txt"
    with open(big, "wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 2**20)
    sub = folder / "nested"
    sub.mkdir()
    (sub / "second.txt").write_text(EN.replace("Harbour Cities", "River Towns"),
                                    encoding="utf-8")
    return folder


def test_bad_files_get_reasons_and_good_files_import(messy):
    result = import_paths([messy])
    assert sorted(d.doc_id for d in result.corpus) == ["good", "second"]
    reasons = {Path(s.path).name: s.reason for s in result.report.skipped}
    assert set(reasons) == {"corrupt.pdf", "empty.txt", "blank.md", "junk.txt",
                            "broken.docx", "photo.jpg", "huge.txt"}
    assert reasons["corrupt.pdf"].startswith("cannot read PDF")
    assert reasons["empty.txt"] == "empty file"
    assert reasons["blank.md"] == "empty file"
    assert reasons["junk.txt"].startswith("binary data")
    assert reasons["broken.docx"].startswith("cannot read Word file")
    assert reasons["photo.jpg"] == "unsupported file type '.jpg'"
    assert reasons["huge.txt"] == "too large: 200.0 MB (limit 50.0 MB)"
    # Every skipped line in the human report names the file and the reason.
    text = result.report.format()
    for name, reason in reasons.items():
        assert f"{name}: {reason}" in text
    assert result.report.exit_code == 1


def test_size_limit_is_configurable(messy):
    result = import_paths([messy / "good.txt"], max_bytes=100)
    assert len(result.corpus) == 0
    assert result.report.skipped[0].reason.startswith("too large: 0.0 MB")
    assert result.report.exit_code == 2


def test_single_path_string(messy):
    assert import_paths(str(messy / "good.txt")).corpus.ids == ["good"]


def test_missing_path_is_reported(tmp_path):
    result = import_paths([tmp_path / "nope"])
    assert [(s.path, s.reason) for s in result.report.skipped] == [
        (str(tmp_path / "nope"), "no such file or folder")]


def test_huge_file_not_read(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.truncate(60 * 2**20)
    read = []
    original = Path.read_bytes

    def spy(self):
        read.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    result = import_paths([big])
    assert read == []
    assert result.report.skipped[0].reason == "too large: 60.0 MB (limit 50.0 MB)"


@pytest.mark.parametrize(("content", "message"), [
    (b"name,title\ngood.txt,A title\n", "no 'file' column (columns: name, title)"),
    (b'file,title\n"good.txt,unterminated', "not a readable CSV"),
    (b"\x00\x01\x02\x03" * 100, "not a readable CSV"),
])
def test_broken_manifest_warns_and_import_goes_on(messy, content, message):
    manifest = messy.parent / "manifest.csv"
    manifest.write_bytes(content)
    result = import_paths([messy / "good.txt"], manifest)
    assert len(result.corpus) == 1
    assert result.corpus.documents[0].meta["title"] == EN.split("\n")[0]
    assert any(message in w and str(manifest) in w for w in result.report.warnings), \
        result.report.warnings


def test_manifest_rows_for_missing_files_and_values_win(messy):
    manifest = messy.parent / "manifest.csv"
    manifest.write_text("file,title,outlet,group,extra\n"
                        "batch/good.txt,Manifest Title,Xinhua,,note\n"
                        "second.txt,,,custom,\n"
                        "gone.txt,Lost,,,\n"
                        ",No file,,,\n", encoding="utf-8")
    result = import_paths([messy / "good.txt", messy / "nested"], manifest)
    good, second = result.corpus["good"], result.corpus["second"]
    assert good.meta["title"] == "Manifest Title"          # manifest wins
    assert (good.meta["outlet"], good.meta["outlet_type"], good.meta["group"]) == (
        "Xinhua", "state media", "chinese")                 # registry fills the rest
    assert good.meta["extra"] == "note"
    assert good.meta["author"] == "Mara Ellison; Tomas Reyes"  # extracted: manifest silent
    assert second.meta["group"] == "custom"
    assert second.meta["title"].startswith("River Towns")
    warnings = "\n".join(result.report.warnings)
    assert "names 'gone.txt', which was not among the imported files" in warnings
    assert "row 5: empty 'file' value" in warnings


def test_semicolon_manifest_and_table(messy):
    manifest = messy.parent / "manifest.csv"
    manifest.write_bytes("file;title;group\ngood.txt;Titre du port;western\n".encode("cp1252"))
    table = messy.parent / "table.csv"
    table.write_text("title;text\nFerry;The ferry sailed at dawn.\n", encoding="utf-8-sig")
    result = import_paths([messy / "good.txt", table], manifest)
    assert result.corpus["good"].meta["title"] == "Titre du port"
    assert result.corpus["table_row1"].text == "The ferry sailed at dawn."
    assert result.corpus["table_row1"].meta["title"] == "Ferry"


def test_read_manifest_missing_file(tmp_path):
    man = read_manifest(tmp_path / "absent.csv")
    assert man.rows == {}
    assert "cannot read it" in man.warnings[0] and "absent.csv" in man.warnings[0]


def test_progress_and_cancel(messy):
    seen: list[float] = []
    import_paths([messy], progress=seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)

    def cancel(fraction: float) -> None:
        if fraction > 0.0:
            raise Cancelled()

    with pytest.raises(Cancelled):
        import_paths([messy], progress=cancel)


def test_unreadable_file_permission(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any file")
    path = tmp_path / "locked.txt"
    path.write_text(EN, encoding="utf-8")
    path.chmod(0)
    try:
        result = import_paths([path])
    finally:
        path.chmod(0o600)
    assert result.report.skipped[0].reason.startswith("cannot read it")


def test_folder_read_me_is_left_out_with_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text("Title A\n\nThe ministers met in Kazan on Monday.\n",
                                    encoding="utf-8")
    (tmp_path / "README.md").write_text("# About this folder\n\nNotes, not an article.\n",
                                        encoding="utf-8")
    result = import_paths([tmp_path])
    assert result.corpus.ids == ["a"]
    assert result.report.skipped == []
    assert any("README.md: left out as the folder's notes" in w
               for w in result.report.warnings)
    # Named on its own, it is imported.
    assert import_paths([tmp_path / "README.md"]).corpus.ids == ["README"]


PDF_TEXT = ("Harbour Cities Agree\n\nThe port authorities of both cities signed an agreement "
            "on Tuesday. Ferries will sail every hour from the spring.")


def _pdf_bytes(text: str) -> bytes:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


@pytest.mark.parametrize("algorithm", ["AES-128", "AES-256"])
def test_aes_encrypted_pdf_with_empty_user_password_opens(tmp_path, algorithm):
    # Failed on a missing 'cryptography' dependency before.
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(PDF_TEXT))))
    writer.encrypt(user_password="", owner_password="owner secret", algorithm=algorithm)
    (tmp_path / "locked.pdf").write_bytes(_written(writer))
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(PDF_TEXT))))
    writer.encrypt(user_password="open sesame", algorithm=algorithm)
    (tmp_path / "secret.pdf").write_bytes(_written(writer))
    result = import_paths([tmp_path])
    assert result.corpus.ids == ["locked"], result.report.format()
    assert "Harbour Cities" in result.corpus["locked"].text
    assert [(Path(s.path).name, s.reason) for s in result.report.skipped] == [
        ("secret.pdf", "encrypted PDF needs a password")]


def _written(writer) -> bytes:
    import io

    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_pdf_whose_page_contents_expand_too_far(tmp_path):
    # A page content stream of 20 MB (compressed to kilobytes) costs pypdf about a
    # minute per 16 MB to extract: refused before extraction, with the limit named.
    import io

    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, StreamObject

    from analysis.ingest.limits import MAX_PDF_CONTENT_BYTES

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(PDF_TEXT))))
    page = writer.pages[0]
    content = page.get_contents().get_data()
    stream = StreamObject()
    stream.set_data(content * (MAX_PDF_CONTENT_BYTES // len(content) + 1))
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    (tmp_path / "heavy.pdf").write_bytes(_written(writer))
    (tmp_path / "good.txt").write_text(EN, encoding="utf-8")
    result = import_paths([tmp_path])
    assert result.corpus.ids == ["good"]
    assert [(Path(s.path).name, s.reason) for s in result.report.skipped] == [
        ("heavy.pdf", "page contents expand to more than 16 MB (PDF content limit)")]


def test_csv_cell_over_128_kb_keeps_the_file(tmp_path):
    # One cell over Python's csv field limit (128 KB) rejected the whole file before.
    long_text = "The harbour talks went on. " * 6_000  # 162 KB: a long article
    huge_text = "x" * (2**20 + 1)                     # over the 1 MB cell limit
    path = tmp_path / "export.csv"
    path.write_text("title,text\nShort,The ferry sailed at dawn.\n"
                    f"Long,{long_text}\nHuge,{huge_text}\nAfter,The pier reopened.\n",
                    encoding="utf-8")
    result = import_paths([path])
    assert result.corpus.ids == ["export_row1", "export_row2", "export_row4"]
    assert len(result.corpus["export_row2"].text) > 128 * 1024
    assert [(s.path, s.reason) for s in result.report.skipped] == [
        (f"{path}#row 3", "a cell of 1.0 MB, more than the 1 MB cell limit")]


def test_xlsx_with_damaged_sheet_xml_is_skipped_with_a_reason(tmp_path):
    # Found by the fuzzer: read-only sheets parse while rows are read, and the XML error
    # escaped the reader (caught only by the importer's catch-all).
    import io
    import zipfile

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["title", "text"])
    book.active.append(["Ferry", "The ferry sailed at dawn."])
    buffer = io.BytesIO()
    book.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<sheetData>", b"<sheetData><row <<")
            dst.writestr(info.filename, body)
    (tmp_path / "damaged.xlsx").write_bytes(damaged.getvalue())
    result = import_paths([tmp_path / "damaged.xlsx"])
    [skipped] = result.report.skipped
    assert skipped.reason.startswith("cannot read Excel file (ParseError: "), skipped.reason


def test_reasons_stay_on_one_line(tmp_path):
    # Found by the fuzzer: openpyxl's message for a damaged archive runs over several
    # lines, which broke the one-line-per-file report.
    import io
    import struct

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["title", "text"])
    buffer = io.BytesIO()
    book.save(buffer)
    data = bytearray(buffer.getvalue())
    end = data.rfind(b"PK\x05\x06")  # point the zip directory past its real place
    struct.pack_into("<L", data, end + 16, struct.unpack_from("<L", data, end + 16)[0] + 99_999)
    (tmp_path / "shifted.xlsx").write_bytes(bytes(data))
    [skipped] = import_paths([tmp_path / "shifted.xlsx"]).report.skipped
    # Caught by the archive check now, before openpyxl's three-line message.
    assert skipped.reason == "damaged archive (ValueError: negative seek value -99999)"
    openpyxl_message = ("cannot read Excel file (ValueError: Unable to read workbook: could "
                        "not read manifest from None.\nThis is most probably because the "
                        "workbook source files contain some invalid XML.\nPlease see the "
                        "exception for more details.)")
    folded = SkippedRow("book.xlsx", openpyxl_message).reason
    assert folded == " ".join(openpyxl_message.split())
    assert len(SkippedRow("x", "word " * 200).reason) == 300


def test_pdf_library_messages_never_reach_the_terminal(tmp_path, caplog):
    # Found by the fuzzer: pypdf logged a damaged font-encoding name from the file (a
    # right-to-left override included) straight to stderr.
    data = _pdf_bytes(PDF_TEXT)
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for font in writer.pages[0]["/Resources"]["/Font"].values():
        font.get_object()[NameObject("/Encoding")] = NameObject("/Win\u202eAnsi")
    (tmp_path / "font.pdf").write_bytes(_written(writer))
    import_paths([tmp_path / "font.pdf"])
    # Without a logging set-up (the CLI has none) every record reaches stderr as it is.
    assert [r.getMessage()[:40] for r in caplog.records if r.name.startswith("pypdf")] == []


def test_docx_with_a_damaged_part_is_skipped_with_a_reason(tmp_path):
    # Found by the fuzzer: a core-properties part of the wrong content type opened, then
    # failed while its title was read (caught only by the importer's catch-all).
    import io
    import zipfile

    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.add_paragraph("The ferry sailed at dawn.")
    buffer = io.BytesIO()
    document.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"core-properties+xml", b"core-propertiez+xml")
            dst.writestr(info.filename, body)
    (tmp_path / "props.docx").write_bytes(damaged.getvalue())
    [skipped] = import_paths([tmp_path / "props.docx"]).report.skipped
    assert skipped.reason.startswith("cannot read Word file (AttributeError: "), skipped.reason
