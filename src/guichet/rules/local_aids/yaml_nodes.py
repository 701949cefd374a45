"""YAML text -> PyYAML's node tree (which keeps every line), with each syntax problem turned into a
``LocalAidFileError`` in French. Nothing is ever constructed into Python objects here: no tag can
run code, and anchors and aliases are refused so that a file stays plain, declarative text."""

from __future__ import annotations

import yaml

from guichet.rules.local_aids.errors import LocalAidFileError

# PyYAML's problem (start of the text) -> what to tell the person who edits the file
SYNTAX_PROBLEMS = (
    ("mapping values are not allowed", "« : » inattendu : une valeur qui contient « : » doit être entre guillemets"),
    ("found character '\\t'", "tabulation interdite : indentez avec des espaces"),
    ("could not find expected ':'", "« : » attendu après le nom du champ"),
    ("expected <block end>", "indentation incohérente (un champ ou un élément de liste est mal aligné)"),
    ("did not find expected key", "indentation incohérente : un champ « nom : valeur » est attendu"),
    ("did not find expected '-' indicator", "indentation incohérente dans une liste « - … »"),
    ("did not find expected node content", "valeur attendue"),
    ("found unexpected end of stream", "fin du fichier inattendue : un guillemet n'est pas fermé"),
    ("but found another document", "un seul document par fichier : retirez le second « --- »"),
    ("found undefined alias", "les alias YAML (*nom) ne sont pas acceptés : recopiez la valeur"),
    (
        "found unknown escape character",
        "séquence « \\ » inconnue entre guillemets doubles : utilisez des guillemets simples",
    ),
    ("expected ',' or ']'", "liste entre crochets non fermée : « , » ou « ] » attendu"),
    ("expected ',' or '}'", "champs entre accolades non fermés : « , » ou « } » attendu"),
    ("found unexpected ':'", "« : » inattendu : mettez la valeur entre guillemets"),
    ("found duplicate anchor", "les ancres YAML (&nom) ne sont pas acceptées"),
)


def _syntax_message(problem: str) -> str:
    for start, message in SYNTAX_PROBLEMS:
        if problem.startswith(start):
            return message
    return f"syntaxe YAML invalide ({problem})"


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, max(position, 0)) + 1


def decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LocalAidFileError(path, line, "le fichier doit être enregistré en UTF-8") from None


def compose(text: str, path: str) -> yaml.Node:
    """The single document of ``text`` as a node tree; raises ``LocalAidFileError``."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1 if event.start_mark else 1
                raise LocalAidFileError(
                    path, line, "les ancres et alias YAML (&nom, *nom) ne sont pas acceptés : recopiez la valeur"
                )
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise LocalAidFileError(path, line, _syntax_message(error.problem or error.context or "")) from None
    except yaml.reader.ReaderError as error:
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise LocalAidFileError(
            path, _line_at(text, error.position), f"caractère interdit dans un fichier texte ({character})"
        ) from None
    except yaml.YAMLError as error:  # any other PyYAML error carries no mark
        raise LocalAidFileError(path, 1, f"syntaxe YAML invalide ({error})") from None
    except RecursionError:
        raise LocalAidFileError(path, 1, "imbrication trop profonde") from None
    if node is None:
        raise LocalAidFileError(path, 1, "le fichier est vide : il doit décrire une aide")
    return node
