"""Split a Markdown file into its YAML front matter and its body."""
import yaml


class FrontMatterError(ValueError):
    pass


def split(text: str) -> tuple[dict, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        raise FrontMatterError("le fichier doit commencer par « --- » suivi de l'en-tête YAML")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise FrontMatterError("l'en-tête YAML n'est pas fermé par « --- »")
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        raise FrontMatterError(f"en-tête YAML illisible : {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError("l'en-tête YAML doit être une liste de clés « clé: valeur »")
    body_start_line = text[: end + 5].count("\n") + 1
    return meta, text[end + 5:], body_start_line
