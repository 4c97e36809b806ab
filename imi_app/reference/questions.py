"""The pre-translated question sets of the legislative areas, with their texts per language."""

# area code -> [(code, answer type, {language: text})]; a new language is one more key in each dict
# (set-up then gives the stored questions their texts in it: reference.load_questions).
QUESTION_SETS = {
    "professional_qualifications": [
        ("pq_diploma_authentic", "yes_no", {
            "en": "Is the diploma attached authentic?",
            "hu": "A csatolt oklevél hiteles?",
            "de": "Ist das beigefügte Diplom echt?",
            "fr": "Le diplôme joint est-il authentique\xa0?",
        }),
        ("pq_issued_by_competent_body", "yes_no", {
            "en": "Was the diploma issued by a competent body of your country?",
            "hu": "Az oklevelet az Önök országának illetékes szerve állította ki?",
            "de": "Wurde das Diplom von einer zuständigen Stelle Ihres Landes ausgestellt?",
            "fr": "Le diplôme a-t-il été délivré par un organisme compétent de votre pays\xa0?",
        }),
        ("pq_date_awarded", "date", {
            "en": "On what date was the qualification awarded?",
            "hu": "Milyen dátummal állították ki a képesítést igazoló oklevelet?",
            "de": "An welchem Datum wurde die Qualifikation verliehen?",
            "fr": "À quelle date la qualification a-t-elle été délivrée\xa0?",
        }),
        ("pq_training_duration", "text", {
            "en": "How long was the training leading to the qualification, and was it full-time or part-time?",
            "hu": "Mennyi ideig tartott a képesítéshez vezető képzés, és nappali vagy részidős képzés volt?",
            "de": "Wie lange dauerte die zu der Qualifikation führende Ausbildung, und erfolgte sie in Vollzeit oder "
                  "in Teilzeit?",
            "fr": "Quelle a été la durée de la formation menant à la qualification, et s'agissait-il d'une formation "
                  "à temps plein ou à temps partiel\xa0?",
        }),
        ("pq_minimum_training", "yes_no", {
            "en": "Does the training meet the minimum training conditions of Directive 2005/36/EC?",
            "hu": "Megfelel-e a képzés a 2005/36/EK irányelv szerinti minimális képzési feltételeknek?",
            "de": "Erfüllt die Ausbildung die Mindestanforderungen an die Ausbildung nach der Richtlinie 2005/36/EG?",
            "fr": "La formation satisfait-elle aux conditions minimales de formation de la directive 2005/36/CE\xa0?",
        }),
        ("pq_registered", "yes_no", {
            "en": "Is the professional registered with your authority?",
            "hu": "Szerepel-e a szakember az Önök hatóságának nyilvántartásában?",
            "de": "Ist der Berufsangehörige bei Ihrer Behörde eingetragen?",
            "fr": "Le professionnel est-il inscrit auprès de votre autorité\xa0?",
        }),
        ("pq_registered_since", "date", {
            "en": "Since what date has the professional been registered?",
            "hu": "Milyen dátum óta szerepel a szakember a nyilvántartásban?",
            "de": "Seit welchem Datum ist der Berufsangehörige eingetragen?",
            "fr": "Depuis quelle date le professionnel est-il inscrit\xa0?",
        }),
        ("pq_good_standing", "yes_no", {
            "en": "Is the professional in good standing, without any suspension or prohibition from practising?",
            "hu": "Jó hírnevű-e a szakember, vagyis nem áll a gyakorlástól való felfüggesztés vagy eltiltás hatálya "
                  "alatt?",
            "de": "Ist der Berufsangehörige unbescholten, d. h. ohne Aussetzung oder Untersagung der Berufsausübung?",
            "fr": "Le professionnel est-il en règle, sans suspension ni interdiction d'exercer\xa0?",
        }),
        ("pq_disciplinary_measures", "text", {
            "en": "Have any disciplinary measures or criminal sanctions relating to the profession been taken against"
                  " the professional? If so, which and when?",
            "hu": "Hoztak-e a szakmával kapcsolatos fegyelmi intézkedést vagy büntetőjogi szankciót a szakemberrel "
                  "szemben? Ha igen, milyet és mikor?",
            "de": "Wurden gegen den Berufsangehörigen berufsbezogene Disziplinarmaßnahmen oder strafrechtliche "
                  "Sanktionen verhängt? Falls ja, welche und wann?",
            "fr": "Des mesures disciplinaires ou des sanctions pénales liées à la profession ont-elles été prises à "
                  "l'encontre du professionnel\xa0? Si oui, lesquelles et quand\xa0?",
        }),
        ("pq_acquired_rights", "text", {
            "en": "Does the professional benefit from acquired rights? If so, on what legal basis?",
            "hu": "Vonatkoznak-e a szakemberre szerzett jogok? Ha igen, milyen jogalapon?",
            "de": "Kann sich der Berufsangehörige auf erworbene Rechte berufen? Falls ja, auf welcher "
                  "Rechtsgrundlage?",
            "fr": "Le professionnel bénéficie-t-il de droits acquis\xa0? Si oui, sur quelle base juridique\xa0?",
        }),
        ("pq_professional_experience", "text", {
            "en": "How many years of professional experience has the professional gained in your country?",
            "hu": "Hány év szakmai gyakorlatot szerzett a szakember az Önök országában?",
            "de": "Wie viele Jahre Berufserfahrung hat der Berufsangehörige in Ihrem Land erworben?",
            "fr": "Combien d'années d'expérience professionnelle le professionnel a-t-il acquises dans votre pays\xa0?",
        }),
        ("pq_specialisation_recognised", "yes_no", {
            "en": "Is the specialisation stated in the certificate recognised in your country?",
            "hu": "Elismerik-e az Önök országában az igazolásban szereplő szakterületet?",
            "de": "Ist die in der Bescheinigung angegebene Fachrichtung in Ihrem Land anerkannt?",
            "fr": "La spécialisation indiquée dans le certificat est-elle reconnue dans votre pays\xa0?",
        }),
        ("pq_certificate_valid_until", "date", {
            "en": "Until what date is the certificate of current professional status valid?",
            "hu": "Meddig érvényes a szakember jelenlegi szakmai jogállásáról szóló igazolás?",
            "de": "Bis zu welchem Datum ist die Bescheinigung über den aktuellen beruflichen Status gültig?",
            "fr": "Jusqu'à quelle date l'attestation de la situation professionnelle actuelle est-elle valable\xa0?",
        }),
    ],
    "services": [
        ("svc_legally_established", "yes_no", {
            "en": "Is the service provider legally established in your country?",
            "hu": "Jogszerűen letelepedett-e a szolgáltató az Önök országában?",
            "de": "Ist der Dienstleister in Ihrem Land rechtmäßig niedergelassen?",
            "fr": "Le prestataire de services est-il légalement établi dans votre pays\xa0?",
        }),
        ("svc_registration_number", "text", {
            "en": "What is the provider's registration number in the trade or company register?",
            "hu": "Mi a szolgáltató nyilvántartási száma a cégjegyzékben vagy a vállalkozói nyilvántartásban?",
            "de": "Wie lautet die Registernummer des Dienstleisters im Handels- oder Unternehmensregister?",
            "fr": "Quel est le numéro d'immatriculation du prestataire au registre du commerce ou des sociétés\xa0?",
        }),
        ("svc_registered_since", "date", {
            "en": "Since what date has the provider been registered?",
            "hu": "Milyen dátum óta van nyilvántartásba véve a szolgáltató?",
            "de": "Seit welchem Datum ist der Dienstleister eingetragen?",
            "fr": "Depuis quelle date le prestataire est-il immatriculé\xa0?",
        }),
        ("svc_authorised", "yes_no", {
            "en": "Is the provider authorised to carry out the activity concerned?",
            "hu": "Jogosult-e a szolgáltató az érintett tevékenység végzésére?",
            "de": "Ist der Dienstleister zur Ausübung der betreffenden Tätigkeit berechtigt?",
            "fr": "Le prestataire est-il autorisé à exercer l'activité concernée\xa0?",
        }),
        ("svc_authorisation_scope", "text", {
            "en": "What does the provider's authorisation or licence cover?",
            "hu": "Mire terjed ki a szolgáltató engedélye?",
            "de": "Worauf erstreckt sich die Genehmigung oder Lizenz des Dienstleisters?",
            "fr": "Que couvre l'autorisation ou la licence du prestataire\xa0?",
        }),
        ("svc_authorisation_valid_until", "date", {
            "en": "Until what date is the authorisation valid?",
            "hu": "Meddig érvényes az engedély?",
            "de": "Bis zu welchem Datum ist die Genehmigung gültig?",
            "fr": "Jusqu'à quelle date l'autorisation est-elle valable\xa0?",
        }),
        ("svc_liability_insurance", "yes_no", {
            "en": "Does the provider hold professional liability insurance?",
            "hu": "Rendelkezik-e a szolgáltató szakmai felelősségbiztosítással?",
            "de": "Verfügt der Dienstleister über eine Berufshaftpflichtversicherung?",
            "fr": "Le prestataire dispose-t-il d'une assurance responsabilité civile professionnelle\xa0?",
        }),
        ("svc_sanctions", "text", {
            "en": "Have any sanctions or measures been imposed on the provider in connection with the activity? If "
                  "so, which?",
            "hu": "Szabtak-e ki szankciót vagy hoztak-e intézkedést a szolgáltatóval szemben a tevékenységgel "
                  "kapcsolatban? Ha igen, milyet?",
            "de": "Wurden gegen den Dienstleister im Zusammenhang mit der Tätigkeit Sanktionen oder Maßnahmen "
                  "verhängt? Falls ja, welche?",
            "fr": "Des sanctions ou des mesures ont-elles été prises à l'encontre du prestataire en lien avec "
                  "l'activité\xa0? Si oui, lesquelles\xa0?",
        }),
        ("svc_insolvency", "yes_no", {
            "en": "Is the provider subject to insolvency or liquidation proceedings?",
            "hu": "Folyik-e a szolgáltatóval szemben csőd- vagy felszámolási eljárás?",
            "de": "Ist gegen den Dienstleister ein Insolvenz- oder Liquidationsverfahren anhängig?",
            "fr": "Le prestataire fait-il l'objet d'une procédure d'insolvabilité ou de liquidation\xa0?",
        }),
        ("svc_address_confirmed", "yes_no", {
            "en": "Can you confirm the provider's registered address?",
            "hu": "Meg tudják-e erősíteni a szolgáltató bejegyzett székhelyét?",
            "de": "Können Sie die eingetragene Anschrift des Dienstleisters bestätigen?",
            "fr": "Pouvez-vous confirmer l'adresse du siège du prestataire\xa0?",
        }),
        ("svc_last_inspection", "text", {
            "en": "When was the provider last inspected, and with what result?",
            "hu": "Mikor ellenőrizték utoljára a szolgáltatót, és milyen eredménnyel?",
            "de": "Wann wurde der Dienstleister zuletzt überprüft, und mit welchem Ergebnis?",
            "fr": "Quand le prestataire a-t-il été contrôlé pour la dernière fois, et avec quel résultat\xa0?",
        }),
        ("svc_managers", "text", {
            "en": "Who are the persons legally responsible for managing the provider?",
            "hu": "Kik a szolgáltató vezetéséért jogilag felelős személyek?",
            "de": "Wer sind die für die Leitung des Dienstleisters rechtlich verantwortlichen Personen?",
            "fr": "Quelles sont les personnes juridiquement responsables de la direction du prestataire\xa0?",
        }),
    ],
}

# area code -> the title of its question set per language: what names an exchange where its free-text
# subject must not be shown (the linked authorities' overview).
QUESTION_SET_TITLES = {
    "professional_qualifications": {
        "en": "Verification of a professional qualification",
        "hu": "Szakmai képesítés ellenőrzése",
        "de": "Überprüfung einer Berufsqualifikation",
        "fr": "Vérification d'une qualification professionnelle",
    },
    "services": {
        "en": "Verification of a service provider",
        "hu": "Szolgáltató ellenőrzése",
        "de": "Überprüfung eines Dienstleisters",
        "fr": "Vérification d'un prestataire de services",
    },
}
