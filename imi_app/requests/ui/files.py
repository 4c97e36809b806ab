"""File pieces of the request screens: the drop zone, the files chosen in the browser, the list of a request's files."""

from __future__ import annotations

import json

import reflex as rx
from reflex.vars.base import Var
from reflex_components_core.core.upload import get_upload_files_context_var_data
from reflex_components_core.el.elements.forms import Input

from imi_app.core.i18n import N_
from imi_app.requests.attachments import MAX_FILES_AT_ONCE
from imi_app.ui.forms import field_error
from imi_app.ui.i18n import T

TOO_LARGE = N_("The file is larger than the allowed size.")
TOO_MANY = N_("At most {count} files can be added at once. Nothing was added: choose fewer files.")


def refused_message(codes: object) -> tuple[str, dict[str, object]]:
    """Why the browser refused the files of one drop (react-dropzone's error codes), as a message and its
    parameters. Too many files at once refuses them all: one upload is never larger than the server takes.
    Anything but a list of codes (a hand-made event) reads as no code."""
    if isinstance(codes, list) and "too-many-files" in codes:
        return TOO_MANY, {"count": MAX_FILES_AT_ONCE}
    return TOO_LARGE, {}


def _error_codes(rejected: Var) -> Var:
    """Only the error codes of the refused files go to the server: the File objects themselves would go along
    as binary attachments of the event (the whole file over the socket, and too large for it above its limit)."""
    return Var(_js_expr=f"{rejected}.flatMap((r) => (r.errors || []).map((e) => String(e.code)))",
               _var_type=list[str])


def chosen_files(upload_id: str) -> Var:
    """[name, size text] of the files chosen in the browser and not sent yet."""
    key = json.dumps(upload_id)
    size = ("(f.size >= 1048576 ? (f.size / 1048576).toFixed(1) + ' MB' : "
            "Math.max(1, Math.round(f.size / 1024)) + ' KB')")
    return Var(_js_expr=f"(filesById[{key}] ? filesById[{key}].map((f) => [f.name, {size}]) : [])",
               _var_type=list[list[str]], _var_data=get_upload_files_context_var_data()).guess_type()


def _name_file_input(component: rx.Component, name: Var) -> rx.Component:
    """Gives the drop zone's own file input (react-dropzone's, which a screen reader reaches) an accessible name."""
    stack = [component]
    while stack:
        node = stack.pop()
        if isinstance(node, Input):
            node.custom_attrs["aria-label"] = name
        stack.extend(node.children)
    return component


def drop_zone(upload_id: str, *, max_size: Var, on_rejected, error: Var, on_drop=None,
              element_id: str | Var | None = None) -> rx.Component:
    """A zone to drop files on or click; with `on_drop` they go up at once, otherwise they wait in the browser."""
    props = {"on_drop": on_drop} if on_drop is not None else {}
    return rx.vstack(
        _name_file_input(rx.upload(
            rx.vstack(
                rx.icon("file-up", size=22, color=rx.color("indigo", 10)),
                rx.text(T("Drop files here or click to choose them"), size="2", weight="medium"),
                rx.text(T("PDF, PNG, JPG, DOCX, ODT or TXT, at most 10 MB each."), size="1", color_scheme="gray"),
                align="center", spacing="1",
            ),
            id=upload_id, multiple=True, max_size=max_size, max_files=MAX_FILES_AT_ONCE,
            on_drop_rejected=lambda rejected: on_rejected(_error_codes(rejected)),
            border=f"1px dashed {rx.color('indigo', 7)}", border_radius="8px", padding="16px", width="100%",
            cursor="pointer", background=rx.color("indigo", 2), **props,
        ), T("Choose files to attach")),
        field_error(error),
        spacing="2", width="100%", **({"id": element_id} if element_id is not None else {}),
    )


def chosen_list(upload_id: str, on_clear) -> rx.Component:
    files = chosen_files(upload_id)
    return rx.cond(files.length() > 0, rx.vstack(
        rx.foreach(files, lambda f: rx.hstack(rx.icon("paperclip", size=14), rx.text(f[0], size="2", weight="medium",
                                                                                      word_break="break-all"),
                                              rx.text(f[1], size="1", color_scheme="gray", white_space="nowrap"),
                                              align="center", spacing="2", class_name="chosen-file")),
        rx.button(rx.icon("x", size=14), T("Remove the chosen files"), type="button", variant="ghost", size="1",
                  color_scheme="gray", on_click=on_clear, id="clear-files"),
        rx.text(T("These files are added when you save or send the request."), size="1", color_scheme="gray"),
        spacing="1", width="100%", id="chosen-files",
    ))


def file_row(f, *, on_remove=None) -> rx.Component:
    """One stored file: a plain link (a download, not a page of the app)."""
    return rx.hstack(
        rx.icon("file-text", size=16, color=rx.color("gray", 10), flex_shrink="0"),
        rx.vstack(
            # reload_document: the browser fetches it itself, the app's router does not take the click; download:
            # the page is not left (leaving it would close its event socket, and the next click would go nowhere).
            rx.link(f["name"], href=f["href"], reload_document=True, size="2", weight="medium", word_break="break-all",
                    id=f"file-link-{f['id']}", custom_attrs={"download": ""}),
            rx.text(f["size"], rx.cond(f["side"], " · " + f["side"].to(str), ""), size="1", color_scheme="gray"),
            spacing="0", min_width="0",
        ),
        rx.spacer(),
        rx.cond(f["removable"].to(bool), rx.icon_button(
            rx.icon("trash-2", size=14), variant="ghost", color_scheme="red", size="1", type="button",
            on_click=on_remove, id=f"remove-file-{f['id']}", aria_label=T("Remove the file"),
            title=T("Remove the file"))) if on_remove is not None else rx.fragment(),
        align="center", spacing="2", width="100%", id=f"file-{f['id']}",
    )
