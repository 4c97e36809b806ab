"""Demo data for requests: the pre-translated question sets of the two demo legislative areas (en, hu)."""

from __future__ import annotations

from sqlmodel import Session, select

from imi_app.authorities.models import LegislativeArea
from imi_app.requests.models import Question

# area code -> [(code, answer type, English, Hungarian)]; more languages are more keys in Question.texts.
QUESTION_SETS = {
    "professional_qualifications": [
        ("pq_diploma_authentic", "yes_no", "Is the diploma attached authentic?", "A csatolt oklevél hiteles?"),
        ("pq_issued_by_competent_body", "yes_no",
         "Was the diploma issued by a competent body of your country?",
         "Az oklevelet az Önök országának illetékes szerve állította ki?"),
        ("pq_date_awarded", "date", "On what date was the qualification awarded?",
         "Milyen dátummal állították ki a képesítést igazoló oklevelet?"),
        ("pq_training_duration", "text",
         "How long was the training leading to the qualification, and was it full-time or part-time?",
         "Mennyi ideig tartott a képesítéshez vezető képzés, és nappali vagy részidős képzés volt?"),
        ("pq_minimum_training", "yes_no",
         "Does the training meet the minimum training conditions of Directive 2005/36/EC?",
         "Megfelel-e a képzés a 2005/36/EK irányelv szerinti minimális képzési feltételeknek?"),
        ("pq_registered", "yes_no", "Is the professional registered with your authority?",
         "Szerepel-e a szakember az Önök hatóságának nyilvántartásában?"),
        ("pq_registered_since", "date", "Since what date has the professional been registered?",
         "Milyen dátum óta szerepel a szakember a nyilvántartásban?"),
        ("pq_good_standing", "yes_no",
         "Is the professional in good standing, without any suspension or prohibition from practising?",
         "Jó hírnevű-e a szakember, vagyis nem áll a gyakorlástól való felfüggesztés vagy eltiltás hatálya alatt?"),
        ("pq_disciplinary_measures", "text",
         "Have any disciplinary measures or criminal sanctions relating to the profession been taken against the "
         "professional? If so, which and when?",
         "Hoztak-e a szakmával kapcsolatos fegyelmi intézkedést vagy büntetőjogi szankciót a szakemberrel szemben? "
         "Ha igen, milyet és mikor?"),
        ("pq_acquired_rights", "text",
         "Does the professional benefit from acquired rights? If so, on what legal basis?",
         "Vonatkoznak-e a szakemberre szerzett jogok? Ha igen, milyen jogalapon?"),
        ("pq_professional_experience", "text",
         "How many years of professional experience has the professional gained in your country?",
         "Hány év szakmai gyakorlatot szerzett a szakember az Önök országában?"),
        ("pq_specialisation_recognised", "yes_no",
         "Is the specialisation stated in the certificate recognised in your country?",
         "Elismerik-e az Önök országában az igazolásban szereplő szakterületet?"),
        ("pq_certificate_valid_until", "date",
         "Until what date is the certificate of current professional status valid?",
         "Meddig érvényes a szakember jelenlegi szakmai jogállásáról szóló igazolás?"),
    ],
    "services": [
        ("svc_legally_established", "yes_no", "Is the service provider legally established in your country?",
         "Jogszerűen letelepedett-e a szolgáltató az Önök országában?"),
        ("svc_registration_number", "text",
         "What is the provider's registration number in the trade or company register?",
         "Mi a szolgáltató nyilvántartási száma a cégjegyzékben vagy a vállalkozói nyilvántartásban?"),
        ("svc_registered_since", "date", "Since what date has the provider been registered?",
         "Milyen dátum óta van nyilvántartásba véve a szolgáltató?"),
        ("svc_authorised", "yes_no", "Is the provider authorised to carry out the activity concerned?",
         "Jogosult-e a szolgáltató az érintett tevékenység végzésére?"),
        ("svc_authorisation_scope", "text", "What does the provider's authorisation or licence cover?",
         "Mire terjed ki a szolgáltató engedélye?"),
        ("svc_authorisation_valid_until", "date", "Until what date is the authorisation valid?",
         "Meddig érvényes az engedély?"),
        ("svc_liability_insurance", "yes_no", "Does the provider hold professional liability insurance?",
         "Rendelkezik-e a szolgáltató szakmai felelősségbiztosítással?"),
        ("svc_sanctions", "text",
         "Have any sanctions or measures been imposed on the provider in connection with the activity? "
         "If so, which?",
         "Szabtak-e ki szankciót vagy hoztak-e intézkedést a szolgáltatóval szemben a tevékenységgel "
         "kapcsolatban? Ha igen, milyet?"),
        ("svc_insolvency", "yes_no", "Is the provider subject to insolvency or liquidation proceedings?",
         "Folyik-e a szolgáltatóval szemben csőd- vagy felszámolási eljárás?"),
        ("svc_address_confirmed", "yes_no", "Can you confirm the provider's registered address?",
         "Meg tudják-e erősíteni a szolgáltató bejegyzett székhelyét?"),
        ("svc_last_inspection", "text", "When was the provider last inspected, and with what result?",
         "Mikor ellenőrizték utoljára a szolgáltatót, és milyen eredménnyel?"),
        ("svc_managers", "text", "Who are the persons legally responsible for managing the provider?",
         "Kik a szolgáltató vezetéséért jogilag felelős személyek?"),
    ],
}


def seed(session: Session) -> None:
    """Adds the questions whose code is missing (existing ones are left as they are); safe to run again."""
    areas = {a.code: a.id for a in session.exec(select(LegislativeArea)).all()}
    known = set(session.exec(select(Question.code)).all())
    for area_code, questions in QUESTION_SETS.items():
        if area_code not in areas:
            continue
        for position, (code, answer_type, english, hungarian) in enumerate(questions, start=1):
            if code not in known:
                session.add(Question(area_id=areas[area_code], code=code, position=position,
                                     answer_type=answer_type, texts={"en": english, "hu": hungarian}))
    session.flush()
