"""The pages' own words in French, English and Arabic, and the reader's language.

The reader's language comes from ``?lang=`` (remembered in a cookie), else the cookie, else
``Accept-Language``; labels of the data are chosen in it by the core (``lang``).
"""

from __future__ import annotations

from decimal import Decimal

from fastapi import Request

LANGUAGES = ("fr", "en", "ar")
DEFAULT = "en"
RTL = {"ar"}
COOKIE = "lang"
NATIVE = {"fr": "Français", "en": "English", "ar": "العربية"}

# key -> (fr, en, ar)
_WORDS: dict[str, tuple[str, str, str]] = {
    "tagline": (
        "Qui finance quoi dans la coopération au développement, chaque fait avec sa source.",
        "Who funds what in development cooperation, every fact with its source.",
        "من يموّل ماذا في التعاون الإنمائي، وكل معلومة بمصدرها.",
    ),
    "explorer": ("Financements", "Fundings", "التمويلات"),
    "organisations": ("Organisations", "Organisations", "المنظمات"),
    "projects": ("Projets", "Projects", "المشاريع"),
    "regions": ("Lieux", "Places", "الأماكن"),
    "documents": ("Documents", "Documents", "الوثائق"),
    "indicators": ("Indicateurs", "Indicators", "المؤشرات"),
    "queries": ("Requêtes enregistrées", "Saved queries", "الاستعلامات المحفوظة"),
    "sparql": ("SPARQL", "SPARQL", "SPARQL"),
    "network": ("Réseau", "Network", "الشبكة"),
    "ontology": ("Ontologie", "Ontology", "الأنطولوجيا"),
    "api_docs": ("API", "API docs", "واجهة البرمجة"),
    "main_nav": ("Navigation principale", "Main navigation", "التنقل الرئيسي"),
    "language": ("Langue", "Language", "اللغة"),
    "search": ("Rechercher", "Search", "بحث"),
    "search_names": (
        "Nom d'un bailleur ou d'un projet, dans toute langue",
        "Name of a funder or project, any language",
        "اسم ممول أو مشروع، بأي لغة",
    ),
    "filters": ("Filtres", "Filters", "عوامل التصفية"),
    "remove_filter": ("Retirer le filtre", "Remove filter", "إزالة عامل التصفية"),
    "clear_all": ("Tout effacer", "Clear all", "مسح الكل"),
    "funder": ("Bailleur", "Funder", "الممول"),
    "funded": ("Financé", "Funded", "الجهة الممولة"),
    "funderType": ("Type de bailleur", "Funder type", "نوع الممول"),
    "country": ("Pays bénéficiaire", "Recipient country", "البلد المستفيد"),
    "region": ("Région", "Region", "المنطقة"),
    "year": ("Année", "Year", "السنة"),
    "currency": ("Devise", "Currency", "العملة"),
    "kind": ("Nature", "Kind", "النوع"),
    "language_facet": ("Langue du document", "Document language", "لغة الوثيقة"),
    "amount": ("Montant", "Amount", "المبلغ"),
    "source": ("Source", "Source", "المصدر"),
    "sources": ("Sources", "Sources", "المصادر"),
    "fundings_found": ("{n} financements", "{n} fundings", "{n} تمويل"),
    "one_funding": ("1 financement", "1 funding", "تمويل واحد"),
    "no_fundings": ("Aucun financement ne correspond.", "No funding matches.", "لا يوجد تمويل مطابق."),
    "totals": ("Totaux", "Totals", "المجاميع"),
    "totals_note": (
        "Montants déclarés, par devise, sans conversion.",
        "Stated amounts, per currency, not converted.",
        "المبالغ المعلنة، حسب العملة، دون تحويل.",
    ),
    "in_fundings": ("en {n} financement(s)", "in {n} funding(s)", "في {n} تمويل"),
    "not_stated": (
        "{n} financement(s) sans montant déclaré (non comptés)",
        "{n} funding(s) without a stated amount (not counted)",
        "{n} تمويل دون مبلغ معلن (غير محتسب)",
    ),
    "not_stated_short": ("non précisé", "not stated", "غير محدد"),
    "download": ("Télécharger cette vue", "Download this view", "تنزيل هذا العرض"),
    "previous": ("Précédent", "Previous", "السابق"),
    "next": ("Suivant", "Next", "التالي"),
    "page_of": ("{a}–{b} sur {n}", "{a}–{b} of {n}", "{a}–{b} من {n}"),
    "sort_by": ("Trier par {x}", "Sort by {x}", "ترتيب حسب {x}"),
    "pictures": ("En images", "In pictures", "بالصور"),
    "by_funder": ("Montants par bailleur", "Amounts by funder", "المبالغ حسب الممول"),
    "by_year": ("Montants par année", "Amounts by year", "المبالغ حسب السنة"),
    "map": ("Où va l'argent", "Where the money goes", "إلى أين تذهب الأموال"),
    "map_note": (
        "Nombre de financements par pays bénéficiaire ; cliquer un pays filtre la table.",
        "Number of fundings per recipient country; click a country to filter the table.",
        "عدد التمويلات حسب البلد المستفيد؛ انقر على بلد لتصفية الجدول.",
    ),
    "network_title": ("Réseau des financements", "Funding network", "شبكة التمويلات"),
    "network_note": (
        "Bailleurs → ce qu'ils financent → participants. Glisser pour déplacer, molette pour zoomer, "
        "cliquer pour ouvrir.",
        "Funders → what they fund → participants. Drag to move, wheel to zoom, click to open.",
        "الممولون ← ما يمولونه ← المشاركون. اسحب للتحريك، واستخدم العجلة للتكبير، وانقر للفتح.",
    ),
    "open_network": (
        "Voir le réseau de ces financements",
        "See the network of these fundings",
        "عرض شبكة هذه التمويلات",
    ),
    "no_data": (
        "Pas de montant déclaré dans cette vue.",
        "No stated amount in this view.",
        "لا يوجد مبلغ معلن في هذا العرض.",
    ),
    "linked_data": (
        "Données liées (tous les triplets)",
        "Linked data (all triples)",
        "البيانات المترابطة (كل الثلاثيات)",
    ),
    "reading_view": ("Vue de lecture", "Reading view", "عرض القراءة"),
    "also_as": ("Aussi en", "Also as", "متوفر أيضا بصيغة"),
    "also_known": ("Aussi appelé", "Also known as", "يعرف أيضا باسم"),
    "type": ("Type", "Type", "النوع"),
    "given": ("Financements accordés", "Fundings given", "التمويلات الممنوحة"),
    "received": ("Financements reçus", "Fundings received", "التمويلات المتلقاة"),
    "total_given": ("Total accordé", "Total given", "مجموع الممنوح"),
    "total_received": ("Total reçu", "Total received", "مجموع المتلقى"),
    "projects_roles": ("Projets et rôles", "Projects and roles", "المشاريع والأدوار"),
    "role": ("Rôle", "Role", "الدور"),
    "partners": ("Partenaires", "Partners", "الشركاء"),
    "relation": ("Relation", "Relation", "العلاقة"),
    "places": ("Lieux", "Places", "الأماكن"),
    "period": ("Période", "Period", "الفترة"),
    "duration": ("{n} mois", "{n} months", "{n} شهرا"),
    "participants": ("Participants", "Participants", "المشاركون"),
    "value": ("Valeur", "Value", "القيمة"),
    "about": ("Concerne", "About", "يخص"),
    "quotes": ("Ce que disent les sources", "What the sources say", "ما تقوله المصادر"),
    "read_in_document": ("Lire dans le document", "Read in the document", "اقرأ في الوثيقة"),
    "more_quotes": (
        "et {n} autre(s) mention(s) dans ce document",
        "and {n} more mention(s) in this document",
        "و{n} إشارة أخرى في هذه الوثيقة",
    ),
    "characters": ("caractères {a}–{b}", "characters {a}–{b}", "المحارف {a}–{b}"),
    "inside": ("Lieux à l'intérieur", "Places inside", "أماكن داخله"),
    "within": ("Fait partie de", "Part of", "جزء من"),
    "document_text": ("Texte du document", "Document text", "نص الوثيقة"),
    "facts_found": ("Faits extraits", "Extracted facts", "المعلومات المستخرجة"),
    "legend": ("Légende", "Legend", "مفتاح الألوان"),
    "evidence_of": ("Source : {x}", "Evidence: {x}", "مصدر: {x}"),
    "states": ("Énonce", "States", "يثبت"),
    "in_document": ("Dans le document", "In the document", "في الوثيقة"),
    "method": ("Méthode", "Method", "الطريقة"),
    "confidence": ("Confiance", "Confidence", "الثقة"),
    "referred_by": ("Cité par", "Referred to by", "مشار إليه من"),
    "property": ("Propriété", "Property", "الخاصية"),
    "home": ("Accueil", "Home", "الرئيسية"),
    "error_help": (
        "Revenir à l'accueil ou chercher un nom :",
        "Go back home, or search for a name:",
        "ارجع إلى الصفحة الرئيسية أو ابحث عن اسم:",
    ),
    "count": ("Nombre", "Count", "العدد"),
    "name": ("Nom", "Name", "الاسم"),
    "facts": ("Faits", "Facts", "المعلومات"),
    "title": ("Titre", "Title", "العنوان"),
    "editor_intro": (
        "Éditeur SPARQL : les préfixes du projet sont déclarés, les requêtes enregistrées sont des "
        "exemples ; le graphe par défaut est l'union de tous les graphes.",
        "SPARQL editor: the project's prefixes are declared, the saved queries are examples; the "
        "default graph is the union of all graphs.",
        "محرر SPARQL: بادئات المشروع معرّفة، والاستعلامات المحفوظة أمثلة؛ الرسم البياني الافتراضي هو اتحاد كل الرسوم.",
    ),
    "examples": ("Exemples", "Examples", "أمثلة"),
    "load_example": ("Ouvrir l'exemple", "Open example", "فتح المثال"),
    "endpoint": ("Point d'accès", "Endpoint", "نقطة الوصول"),
    "parameters": ("Paramètres", "Parameters", "المعاملات"),
    "run_in_editor": ("Ouvrir dans l'éditeur", "Open in the editor", "فتح في المحرر"),
    "results": ("Résultats", "Results", "النتائج"),
    "chart_table": ("Les chiffres du graphique", "The chart's figures", "أرقام الرسم"),
    "highlight_note": (
        "Chaque fait extrait est surligné à sa place ; un lien vers un passage le met en évidence.",
        "Each extracted fact is highlighted in place; a link to a passage brings it forward.",
        "كل معلومة مستخرجة مظللة في مكانها؛ والرابط إلى مقطع يبرزه.",
    ),
    "shown_passage": ("Passage cité", "Cited passage", "المقطع المستشهد به"),
}

# How the saved query `partners-of-organisation` names relations.
_RELATIONS = {
    "funds it": ("le finance", "funds it", "يموله"),
    "funded by it": ("financé par lui", "funded by it", "يتلقى تمويله"),
    "funds its project": ("finance son projet", "funds its project", "يموّل مشروعه"),
    "co-participant": ("co-participant", "co-participant", "مشارك معه"),
}


def choose_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return from_accept_language(request.headers.get("accept-language"))


def from_accept_language(header: str | None) -> str:
    """The best of fr, en, ar by the header's q-values (``fr-CA`` counts as ``fr``)."""
    best, best_q = DEFAULT, 0.0
    for part in (header or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def words(lang: str) -> dict[str, str]:
    index = LANGUAGES.index(lang) if lang in LANGUAGES else LANGUAGES.index(DEFAULT)
    return {key: values[index] for key, values in _WORDS.items()}


def relation(text: str, lang: str) -> str:
    """A partner relation ('co-participant (lead)') in the reader's language."""
    from coopkg.explore import role_label

    index = LANGUAGES.index(lang)
    head, _, rest = text.partition(" (")
    if head == "co-participant" and rest:
        return f"{_RELATIONS[head][index]} ({role_label(rest.rstrip(')'), lang)})"
    return _RELATIONS[text][index] if text in _RELATIONS else text


def amount(value: float | Decimal | None, lang: str) -> str:
    """A number as readers of ``lang`` write it: 880 490,79 (fr), 880,490.79 (en, ar)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    text = f"{number:,.2f}" if number != number.to_integral_value() else f"{number:,.0f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text
