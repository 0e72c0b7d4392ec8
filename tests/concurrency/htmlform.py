"""What a browser would send from a page's form: its fields with the values they show."""

from __future__ import annotations

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._current = {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            self.forms.append(self._current)
        elif self._current is None:
            return
        elif tag == "input" and a.get("name"):
            self._input(a, self._current["fields"])
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._current["fields"].append((a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._first_option = None
            self._selected = False
        elif tag == "option" and self._select:
            self._option(a, self._current["fields"])

    def _input(self, a: dict[str, str | None], fields: list[tuple[str, str | None]]) -> None:
        """An input's name and value, as sent: unchecked boxes and buttons send nothing."""
        kind = a.get("type", "text")
        if kind in ("checkbox", "radio") and "checked" not in a:
            return
        if kind in ("submit", "button"):
            return
        fields.append((a["name"] or "", a.get("value", "on" if kind == "checkbox" else "")))

    def _option(self, a: dict[str, str | None], fields: list[tuple[str, str | None]]) -> None:
        """The selected option is sent; the first is remembered for a select with none selected."""
        if self._first_option is None:
            self._first_option = a.get("value", "")
        if "selected" in a:
            self._selected = True
            fields.append((self._select or "", a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            if self._select and not self._selected and self._first_option is not None and self._current:
                self._current["fields"].append((self._select, self._first_option))  # what a browser sends
            self._select = None

    def handle_data(self, data):
        if self._textarea and self._current is not None:
            name, value = self._current["fields"][-1]
            text = value + data
            self._current["fields"][-1] = (name, text.removeprefix("\n") if not value else text)


def form_fields(html: str, *, contains: str | None = None) -> dict[str, list[str]]:
    """The fields of the page's own POST form (the one that posts to the page itself), or
    the one whose action contains `contains`, each a list of values as a QueryDict holds
    them."""
    parser = _Forms()
    parser.feed(html)
    posts = [f for f in parser.forms if f["method"].lower() == "post"]
    forms = [f for f in posts if (contains in f["action"] if contains is not None else not f["action"])]
    form = forms[0]
    data: dict[str, list[str]] = {}
    for name, value in form["fields"]:
        data.setdefault(name, []).append(value)
    return data


def with_values(data: dict[str, list[str]], **values: str) -> dict[str, list[str]]:
    """The form as the user changed it (field names with dashes given with double underscores)."""
    changed = {k: list(v) for k, v in data.items()}
    for name, value in values.items():
        changed[name.replace("__", "-")] = [value]
    return changed
