"""The demo world of ``seed_demo``: one municipality, 3 teams over 11 villages (R1)."""

MUNICIPALITY = "Overbetuwe"
PASSWORD = "Wijkteam-demo-2026"  # noqa: S105  (published demo password; seed_demo needs DEBUG)

TEAMS = {
    "Team Elst": ["Elst", "Oosterhout", "Valburg", "Slijk-Ewijk"],
    "Team Heteren-Driel": ["Heteren", "Driel", "Randwijk"],
    "Team Zetten": ["Zetten", "Andelst", "Hemmen", "Herveld"],
}

# username, first name, last name, team, discipline, parent organisation
PROFESSIONALS = [
    ("professional", "Sanne", "de Vries", "Team Elst", "social_worker", "Welzijn Overbetuwe"),
    ("pieter", "Pieter", "Jansen", "Team Elst", "client_supporter", "MEE Gelderse Poort"),
    ("fatima", "Fatima", "El Amrani", "Team Elst", "consultant_wmo", "Gemeente Overbetuwe"),
    ("joost", "Joost", "Bakker", "Team Heteren-Driel", "community_worker", "Welzijn Overbetuwe"),
    ("anouk", "Anouk", "Visser", "Team Heteren-Driel", "youth_worker", "Jeugdteam Overbetuwe"),
    ("mehmet", "Mehmet", "Yilmaz", "Team Zetten", "consultant_debt", "Gemeente Overbetuwe"),
    ("lotte", "Lotte", "Smit", "Team Zetten", "school_social_worker", "Welzijn Overbetuwe"),
]

# the professional who registers the demo cases of a team and supervises its volunteer staff
TEAM_LEADS = {"Team Elst": "professional", "Team Heteren-Driel": "joost", "Team Zetten": "mehmet"}

# username, first name, last name, team, village, months since VOG (None: missing)
VOLUNTEERS = [
    ("volunteer", "Wim", "van den Berg", "Team Elst", "Elst", 6),
    ("gerda", "Gerda", "Hendriks", "Team Elst", "Valburg", 30),
    ("henk", "Henk", "Mulder", "Team Elst", "Oosterhout", 40),
    ("ria", "Ria", "Peters", "Team Heteren-Driel", "Driel", 12),
    ("kees", "Kees", "de Graaf", "Team Zetten", "Zetten", None),
]

COORDINATOR = ("coordinator", "Marleen", "Kuipers", "Team Elst")
ADMINISTRATOR = ("beheerder", "Bas", "Vermeulen")
PRIVACY_OFFICER = ("privacy", "Inge", "de Boer")

# Retention per legal basis (years after closing): demo values; the municipality sets its own.
RETENTION = [
    ("Wmo 2015 (maatschappelijke ondersteuning)", 15, "health", False),
    ("Jeugdwet (jeugdhulp)", 20, "parenting", False),
    ("Voorliggend veld (keuze gemeente)", 2, None, True),
]

FIRST_NAMES = [
    "Johanna",
    "Gerrit",
    "Maria",
    "Hendrik",
    "Anna",
    "Cornelis",
    "Wilhelmina",
    "Jan",
    "Aaltje",
    "Dirk",
    "Samira",
    "Youssef",
    "Eva",
    "Daan",
    "Sophie",
    "Lucas",
    "Emma",
    "Noah",
    "Julia",
    "Sem",
]
LAST_NAMES = [
    "Willemsen",
    "van Dijk",
    "Bos",
    "Hoekstra",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Kramer",
    "van Leeuwen",
    "Maas",
    "Verhoeven",
    "Koster",
    "Prins",
    "Huisman",
    "Peeters",
    "Post",
    "Kuijpers",
    "Veenstra",
    "Kok",
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Rijnstraat",
    "Lingewal",
    "Boomgaard",
    "Hoofdstraat",
]

REQUESTS = [
    (
        "Woont sinds het overlijden van haar man alleen en komt de deur nauwelijks uit.",
        "Zoekt contact en een activiteit in het dorp.",
        ["participation"],
        ["loneliness"],
    ),
    (
        "Ontvangt aanmaningen, overzicht over post en rekeningen kwijt.",
        "Wil hulp bij het ordenen van de administratie.",
        ["money"],
        ["finances", "debts"],
    ),
    (
        "Mantelzorger voor partner met dementie, raakt overbelast.",
        "Zoekt wat ontlasting en iemand om mee te praten.",
        ["health"],
        ["informal_care"],
    ),
    (
        "Na scheiding zoekt hij woonruimte en hulp bij de kinderen.",
        "Wil weten welke mogelijkheden er zijn in het dorp.",
        ["housing", "parenting"],
        ["housing", "divorce"],
    ),
    (
        "Gezin rondt de maand niet meer af; vraagt naar de voedselbank.",
        "Zoekt hulp bij een aanvraag en het budget.",
        ["money"],
        ["food_bank", "finances"],
    ),
    (
        "Kan door een val niet meer zelf boodschappen doen.",
        "Zoekt vervoer en hulp bij de boodschappen.",
        ["health"],
        ["mobility"],
    ),
    (
        "Zoekt na ontslag dagbesteding en een zinvolle invulling.",
        "Wil graag vrijwilligerswerk in de buurt.",
        ["participation"],
        ["daytime_activities", "work_and_income"],
    ),
    (
        "Ouders vragen ondersteuning bij opvoeding van een puber.",
        "Zoekt informatie over activiteiten voor jongeren.",
        ["parenting"],
        ["parenting_support"],
    ),
]


def totp_key(username: str) -> str:
    """The demo accounts' TOTP secret (hex): derived from the name, published like the password.
    ``manage.py demo_code <username>`` prints the current code."""
    import hashlib

    return hashlib.sha1(f"wijkteam-demo-{username}".encode(), usedforsecurity=False).hexdigest()


# name, kind, villages, topic codes, when, where, cost
OFFERS = [
    (
        "Koffieochtend in het Dorpshuis",
        "activity",
        ["Elst"],
        ["loneliness"],
        "Dinsdag 10:00–11:30",
        "Dorpshuis Elst",
        "Gratis",
    ),
    (
        "Samen eten in Valburg",
        "activity",
        ["Valburg", "Oosterhout"],
        ["loneliness", "food_bank"],
        "Donderdag 17:30",
        "Kerkzaal Valburg",
        "€ 3,50",
    ),
    (
        "Wandelclub De Linge",
        "club",
        ["Driel", "Heteren"],
        ["loneliness", "daytime_activities"],
        "Zaterdag 9:30",
        "Start bij de kerk",
        "Gratis",
    ),
    (
        "Thuisadministratie-maatjes",
        "service",
        ["Elst", "Valburg", "Oosterhout", "Slijk-Ewijk"],
        ["finances", "debts"],
        "Op afspraak",
        "Bij de inwoner thuis",
        "Gratis",
    ),
    (
        "Mantelzorgcafé",
        "activity",
        ["Zetten", "Andelst"],
        ["informal_care"],
        "Eerste maandag van de maand",
        "Bibliotheek Zetten",
        "Gratis",
    ),
]
