# I messaggi di Baton in italiano. I comandi (/lead ack), i nomi delle opzioni e i codici
# dei motivi restano in inglese.

## Pulsanti ed elementi della piattaforma

action-ack = Conferma
action-contacted = Contattato
action-accept = Accetta
action-reject = Rifiuta
action-rate = Valuta
rate-placeholder = Valuta da 1 a 5
footer-lead = Lead #{ $lead } · Baton
console-type = scrivi
console-chart = Grafico

## L'avviso

alert-title = Nuovo MQL: { $lead }
field-lead = Lead
field-title = Ruolo
field-email = Email
field-source = Fonte
field-score = Punteggio
field-why = Perché è MQL
field-owner = Proprietario
field-assigned = Assegnato a
field-handoff = Passaggio
no-source = (nessuna fonte)
nobody = nessuno
alert-sla = SLA: { $deadlines }
deadline-ack = confermare entro { $due } ({ $relative })
deadline-first-touch = primo contatto entro { $due } ({ $relative })
deadline-disposition = accettare o rifiutare entro { $due } ({ $relative })

## Promemoria: la scadenza, il tempo che resta e il passo che la rispetta

reminder-title-ack = Promemoria: { $left } per confermare il lead #{ $lead } { $title }
reminder-title-first-touch = Promemoria: { $left } per il primo contatto con il lead #{ $lead } { $title }
reminder-title-disposition = Promemoria: { $left } per accettare o rifiutare il lead #{ $lead } { $title }
reminder-text-ack = Scadenza della conferma: { $due } ({ $relative }). Per rispettarla, premi Conferma o scrivi /lead ack { $lead }.
reminder-text-first-touch = Scadenza del primo contatto: { $due } ({ $relative }). Per rispettarla, premi Contattato dopo aver parlato con il lead, o scrivi /lead contacted { $lead } [nota].
reminder-text-disposition = Scadenza della decisione: { $due } ({ $relative }). Per rispettarla, premi Accetta o Rifiuta, o scrivi /lead accept { $lead } o /lead reject { $lead } MOTIVO.

## Escalation: una scadenza è passata

breach-ack = SLA violato: conferma del lead #{ $lead } { $title }, scadenza { $due } ({ $late } di ritardo), assegnato a { $assignee }
breach-first-touch = SLA violato: primo contatto con il lead #{ $lead } { $title }, scadenza { $due } ({ $late } di ritardo), assegnato a { $assignee }
breach-disposition = SLA violato: decisione sul lead #{ $lead } { $title }, scadenza { $due } ({ $late } di ritardo), assegnato a { $assignee }
missed-reminders = Promemoria scaduti mentre Baton era fermo ({ $count })
missed-breaches = SLA violati mentre Baton era fermo ({ $count })

## Aggiornamenti dell'avviso, nell'avviso stesso

update-title = Lead #{ $lead }: { $what }
update-acked = confermato da { $by }
update-contacted = contattato da { $by }
update-accepted = accettato da { $by }
update-rejected = rifiutato da { $by } ({ $reason })
update-rated = valutato { $stars }/5 da { $by }
update-reassigned = riassegnato a { $to }: { $why }
update-duplicate = è arrivato anche tramite { $via } alle { $when } (lead { $record }); una persona, un solo handoff
update-accepted-outside = accettato con un cambio di fase a { $stage } fuori da Baton
update-rejected-outside = rifiutato con un cambio di fase a { $stage } fuori da Baton

## Tempi e conteggi

span-seconds = { $s } s
span-minutes = { $m } min
span-hours =
    { $m ->
        [0]
            { $h ->
                [one] { $h } ora
               *[other] { $h } ore
            }
       *[other] { $h } h { $m } min
    }
span-days =
    { $h ->
        [0]
            { $d ->
                [one] { $d } giorno
               *[other] { $d } giorni
            }
       *[other] { $d } d { $h } h
    }
relative-future = tra { $span }
relative-past = { $span } fa
count-leads =
    { $count ->
        [one] { $count } lead
       *[other] { $count } lead
    }

## Bentornato e il riepilogo del mattino

alert-welcome-back = Bentornato/a, { $name }: questo è il tuo primo lead dal tuo rientro.
summary-title = Buongiorno, { $name }
summary-welcome-back = Bentornato/a, { $name }! Ricevi di nuovo lead al ritmo equo della rotazione.
summary-nothing-open = Al momento non hai nulla di aperto.

## Errori d'uso: cosa non andava nel comando scritto (la riga d'uso resta com'è)

usage-label = uso
usage-empty = il comando è vuoto: prova /lead, /funnel, /sla o /baton help
usage-unknown-command = comando sconosciuto { $command }: prova /lead, /funnel, /sla o /baton help
usage-lead-what = cosa deve fare /lead? usa ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze o handback
usage-unknown-lead-command = comando /lead sconosciuto { $sub }: usa ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze o handback
usage-unknown-baton-command = comando /baton sconosciuto { $sub }: usa help, link, confirm, links, away, back o who
usage-reason-needed = manca il motivo: uno tra { $reasons }
usage-unknown-reason = motivo sconosciuto { $reason }: usa uno tra { $reasons }
usage-unknown-dimension = dimensione sconosciuta { $word }: usa source, campaign, rep o team
usage-reassign-who = a chi va il lead? indica la sua email, come ana@example.com
usage-by-needs-dimension = "by" richiede una dimensione: source, campaign, rep o team
usage-funnel-split-once = il funnel si può dividere in un solo modo: usa "by" una volta
usage-not-period-but-dimension = { $word } non è un periodo: per dividere il funnel, scrivi "by { $dimension }"
usage-one-period = è ammesso un solo periodo, ma { $word } è un secondo
usage-customers-range = non si possono pianificare { $value } clienti: indica un numero intero da 1 a 1000000
usage-plan-how-many = quanti clienti? es. /funnel plan 12 customers
usage-plan-not-a-number = { $word } non è un numero di clienti: scrivilo come /funnel plan 12 customers
usage-plan-customers = un piano è per clienti: scrivi "{ $count } customers"
usage-plan-customers-not = un piano è per clienti: scrivi "{ $count } customers", non { $word }
usage-basis-needs-period = "basis" richiede un periodo, es. basis 180d
usage-basis-once = usa "basis" una sola volta
usage-plan-by-not = un piano si divide per source o campaign, non per { $dimension }
usage-plan-by-needs = "by" richiede source o campaign
usage-plan-split-once = il piano si può dividere in un solo modo: usa "by" una volta
usage-plan-one-period = è ammesso un solo periodo, ma { $word } è un secondo (il periodo delle conversioni si scrive "basis { $basis }")
usage-link-email = manca l'email: quella che usi in Baton, come ana@example.com
usage-confirm-whose = quale collegamento? indica il suo utente Discord, come @ann o 2002
usage-away-how-long = per quanto tempo? indica today, un numero di giorni come 3d, o date come 2026-12-20..2027-01-03
usage-not-one-lead = { $word } non è un lead: indica un numero di lead, come 12, o un ID esterno
usage-not-discord-user = { $word } non è un utente Discord: menzionalo (@ann) o indica il suo ID utente
usage-lead-needed = manca il lead: il suo numero, come 12, o il suo ID esterno, come crm-778
usage-not-a-lead = { $word } non è un lead: il numero di lead è un intero da 1 in su
usage-how-long = per quanto tempo? indica una durata come 30m, 2h o 1h30m
usage-too-short = { $word } è troppo breve: rimanda di almeno un secondo, es. 30m
usage-not-a-duration = { $word } non è una durata: scrivi un numero e un'unità (s, m, h, d), es. 30m, 2h o 1h30m
usage-rating-needed = manca la valutazione: un numero intero da 1 a 5
usage-not-a-rating = { $word } non è una valutazione: usa un numero intero da 1 a 5
usage-not-an-email = { $word } non è un indirizzo email: usane uno come ana@example.com
usage-too-many = troppe parole: { $word } non era previsto qui
period-not-a-period = "{ $word }" non è un periodo: usa 7d, 30d, 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter o 2026-01-01..2026-03-31
period-days-out-of-range = "{ $word }" non è un periodo: il numero di giorni va da 1 a 3660
period-bad-date = "{ $word }" non è una data: scrivi le date come AAAA-MM-GG, per esempio 2026-01-31
period-end-before-start = il periodo { $from }..{ $to } finisce prima di iniziare

## /baton help (i comandi e i segnaposto restano in inglese)

help =
    Comandi di Baton (le risposte sono private: le vedi solo tu):
    /lead ack LEAD - te ne occupi tu (ferma il tempo di prima risposta)
    /lead contacted LEAD [note] - hai contattato il lead
    /lead accept LEAD [note] - il lead è un'opportunità reale
    /lead reject LEAD REASON [note] - il lead non è per le vendite; REASON è uno tra not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, duplicate, competitor, spam, other
    /lead rate LEAD 1-5 [note] - valuta la qualità del lead
    /lead show LEAD - il lead e la sua cronologia
    /lead why LEAD - perché il lead è andato al suo assegnatario: ogni candidato e perché è stato scartato (l'assegnatario, il suo manager e gli admin)
    /lead mine - i tuoi lead aperti
    /lead reassign LEAD EMAIL - passa il lead a qualcun altro
    /lead snooze LEAD DURATION - rimanda il prossimo promemoria, es. /lead snooze 12 30m (una volta per scadenza, non oltre la scadenza; il tuo manager viene avvisato)
    /lead handback LEAD [reason] - restituisci il tuo lead alla rotazione, una volta, prima di violare lo SLA
    /funnel [PERIOD] [by source|campaign|rep|team] [chart] [share] - il funnel dei lead; con share viene pubblicato nel canale per tutti
    /funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart] - cosa deve produrre ogni fase per N clienti (predefinito this-quarter, con le conversioni degli ultimi 90d)
    /sla [PERIOD] [TEAM] - tempi di risposta rispetto allo SLA; una scadenza conta per chi aveva il lead quando è stata rispettata o è scaduta, e ogni scadenza superata è una violazione
    /baton link EMAIL - collega il tuo account Discord al tuo utente Baton
    /baton confirm USER - conferma il collegamento Discord di qualcuno (il suo manager per i commerciali, altrimenti un admin)
    /baton links - i collegamenti Discord e la loro cronologia (manager e admin)
    /baton away [EMAIL] today|3d|2026-12-20..2027-01-03 [note] - assente: nessun nuovo lead fino ad allora (te stesso; un manager per i commerciali del suo team)
    /baton back [EMAIL] - di nuovo disponibile da adesso
    /baton who [TEAM] - chi è disponibile, assente o fuori orario, con i lead aperti
    /baton help - questo aiuto
    LEAD è un numero come 12 o un ID esterno come crm-778. PERIOD è 7d, 30d (predefinito), 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter o 2026-01-01..2026-03-31.

## Rifiuti: chi può fare cosa

refuse-not-yours = solo l'assegnatario ({ $assignee }), il suo manager o un admin può farlo
refuse-availability-not-your-rep = { $person } non è un commerciale di un team che gestisci: un manager imposta la disponibilità solo dei commerciali del proprio team
refuse-availability-own-only = puoi impostare solo la tua disponibilità, non quella di { $person }: può farlo il suo manager o un admin
refuse-reassign = solo il manager del team o un admin può riassegnare un lead
refuse-handback-decided =
    il lead #{ $lead } è già stato { $status ->
        [accepted] accettato
        [rejected] rifiutato
       *[other] { $status }
    }: non c'è niente da restituire
    uso: /lead handback LEAD [reason]
refuse-handback-not-yours =
    il lead #{ $lead } non è tuo (è assegnato a { $assignee }): solo il suo assegnatario può restituirlo; un manager lo sposta con /lead reassign
    uso: /lead handback LEAD [reason]
refuse-handback-twice =
    hai già restituito il lead #{ $lead } il { $at }: un lead si può restituire una sola volta; chiedi al tuo manager di riassegnarlo (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-handback-breached =
    lo SLA di { $clock ->
        [ack] conferma
        [first_touch] primo contatto
        [disposition] decisione
       *[other] { $clock }
    } del lead #{ $lead } è già scaduto mentre era tuo: un lead si può restituire solo prima di una violazione; chiedi al tuo manager di riassegnarlo (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-confirm-role = { $person } è { $role ->
        [admin] un admin
        [manager] un manager
        [marketer] del marketing
       *[other] { $role }
    }: solo un admin può confermare il collegamento di un manager, di qualcuno del marketing o di un admin
refuse-confirm-manager = solo il manager del team di { $person } ({ $manager }) o un admin può confermare questo collegamento
refuse-confirm-no-manager = solo il manager del team di { $person } o un admin può confermare questo collegamento
refuse-links = solo manager e admin possono vedere i collegamenti Discord
refuse-unknown-person = { $who } non è un utente Baton: chiedi a un admin di aggiungerti come [[person]] nella configurazione (o collega il tuo account con /baton link EMAIL)

## Risposte ai comandi

the-crm = il CRM
unknown-time = un orario sconosciuto
reply-who-when = { $by } il { $at }
reply-link-elsewhere = /baton link è per Discord, che non può cercare le persone per email: usalo lì. Su Slack Baton ti trova tramite email, e nella console agisci come qualcuno con @email
reply-no-such-lead = non esiste il lead { $lead }: usa il numero mostrato nell'avviso (es. /lead show 12) o l'ID esterno del lead
reply-no-handoff = il lead #{ $lead } non ha un passaggio: non è mai stato un MQL
reply-already-acked = il lead #{ $lead } è già stato confermato da { $who }
reply-acked = Lead #{ $lead } confermato: { $name }.
reply-already-contacted = il contatto con il lead #{ $lead } è già stato registrato il { $at }
reply-contacted = Primo contatto con il lead #{ $lead } registrato.
reply-already-decided = il lead #{ $lead } è già stato { $status ->
        [accepted] accettato
        [rejected] rifiutato
       *[other] { $status }
    } da { $who }
reply-decided = Lead #{ $lead } { $status ->
        [accepted] accettato
        [rejected] rifiutato
       *[other] { $status }
    }; ora la sua fase è { $stage }.
reply-already-rated = il lead #{ $lead } ha già la valutazione { $stars }
reply-rated = Lead #{ $lead } valutato { $stars }/5. Grazie: il marketing lo vede in /funnel.
reply-why-no-handoff = il lead #{ $lead } non ha un passaggio: non è mai stato un MQL, quindi nessuno è stato scelto
reply-why-not-allowed = solo l'assegnatario ({ $assignee }), il suo manager o un admin può vedere perché il lead #{ $lead } è andato a questa persona
reply-why-no-decision = il passaggio #{ $handoff } del lead #{ $lead } non ha una decisione di assegnazione salvata
reply-why-title = Perché il lead #{ $lead } ({ $name }) è andato a { $assignee } (passaggio #{ $handoff }, assegnato { $when }):
reply-why-reassigned-since = Da allora il lead è stato riassegnato a { $assignee } (vedi /lead show { $lead }).
reply-reassign-unknown =
    { $to } non è un utente Baton: riassegna a qualcuno elencato come [[person]]
    uso: /lead reassign LEAD EMAIL
reply-no-open-handoff = il lead #{ $lead } non ha un passaggio aperto da riassegnare
reply-already-assigned = il lead #{ $lead } è già assegnato a { $to }
reply-reassigned = Il lead #{ $lead } ora è assegnato a { $to }; le scadenze SLA continuano a decorrere dall'ora dell'MQL.
reply-handback-nobody = nessun altro può prendere ora il lead #{ $lead } ({ $reason }): resta a te; chiedi al tuo manager di riassegnarlo (/lead reassign)
reply-handed-back = Il lead #{ $lead } è tornato nella rotazione e ora è di { $name }. Nessuna violazione viene registrata a tuo carico.

## /lead mine

mine-none = Non hai passaggi aperti.
mine-title = { $count ->
        [one] Il tuo passaggio aperto (1):
       *[other] I tuoi passaggi aperti ({ $count }):
    }
mine-line = #{ $lead } { $name }: aperto da { $age }, { $acked ->
        [yes] confermato
       *[no] non confermato
    }
mine-own-window = la tua scadenza dal { $since } (riassegnato a te)

## Le scadenze di un passaggio (/lead show, /lead mine)

clock-ack = conferma
clock-first-touch = primo contatto
clock-disposition = decisione
clock-line = { $clock } entro { $due }: { $state }
clock-met = rispettata
clock-breached-late = violata, { $late } di ritardo
clock-stopped = ferma
clock-breached-ago = VIOLATA { $ago } fa
clock-left = mancano { $left }

## /lead show

show-title = Lead #{ $lead }: { $title }
field-stage = Fase
field-external-id = ID esterno
field-company-size = Dimensione azienda
show-no-handoffs = Ancora nessun passaggio.
show-handoff = Passaggio #{ $handoff } ({ $status ->
        [open] aperto
        [accepted] accettato
        [rejected] rifiutato
       *[other] { $status }
    }) a { $assignee }, aperto { $opened }
show-attached = Collegato a
show-attached-line = { $when }: MQL della stessa persona, collegato al passaggio #{ $handoff } del lead #{ $lead } (una persona, un passaggio)

## La cronologia di un passaggio (salvata con i suoi argomenti, mostrata nella lingua di chi legge)

why-stage-changed = la fase è passata da { $from } a mql il { $at }
why-created = creato come mql il { $at }
log-reminded = promemoria inviato: { $clock } entro { $due }
log-snoozed = ha rimandato il promemoria di { $clock } di { $span }, fino a { $until }

## /lead snooze

snooze-stop-disposition = /lead accept { $lead } o /lead reject { $lead } REASON
snooze-no-open-handoff = il lead #{ $lead } non ha un passaggio aperto: non c'è un promemoria da rimandare
snooze-not-assignee = solo l'assegnatario ({ $assignee }) può rimandare i promemoria del lead #{ $lead }
snooze-nothing-to-come = non ci sono altri promemoria in arrivo per il lead #{ $lead }: non c'è niente da rimandare
snooze-already = hai già rimandato il promemoria di { $clock } del lead #{ $lead } (fino a { $until }): ogni scadenza si può rimandare una sola volta. Per fermarla, scrivi { $stop }
snooze-past-deadline =
    rimandare di { $by } arriverebbe alla scadenza di { $clock } del lead #{ $lead } ({ $deadline }, { $left }): rimanda di meno di { $left } o ferma la scadenza con { $stop }
    uso: /lead snooze LEAD DURATION
snooze-raced = il promemoria di { $clock } del lead #{ $lead } è già stato rimandato: ogni scadenza si può rimandare una sola volta
snooze-manager-told = { $name } è stato avvisato.
snooze-done = Promemoria di { $clock } del lead #{ $lead } rimandato di { $span }: il prossimo arriva { $next } ({ $next_relative }); la scadenza resta { $deadline } ({ $deadline_relative }).
snoozed-title = { $who } ha rimandato di { $span } il promemoria di { $clock } del lead #{ $lead } { $title }
snoozed-text = Prossimo promemoria { $next } ({ $next_relative }); la scadenza di { $clock } resta { $deadline } ({ $deadline_relative }).

## /baton away, back, who

away-over =
    { $period } è già passato (oggi è { $today } per { $person }): indica oggi o giorni successivi
    uso: /baton away [PERSON] today|3d|YYYY-MM-DD..YYYY-MM-DD [note]
away-told = { $person } è assente dal { $first } al { $last } (impostato da { $by }): nessun nuovo lead fino ad allora
away-told-note = { $person } è assente dal { $first } al { $last } (impostato da { $by }): nessun nuovo lead fino ad allora. Nota: { $note }
away-done = { $who ->
        [you] Sei assente
       *[other] { $who } è assente
    } dal { $first } al { $last }: nessun nuovo lead fino ad allora. /baton back lo termina prima.
back-told = { $person } è tornato (impostato da { $by }): riceve di nuovo nuovi lead
back-done = { $who ->
        [you] Bentornato: ricevi di nuovo
       *[other] { $who } è tornato e riceve di nuovo
    } nuovi lead, al ritmo equo della rotazione (senza recuperare quelli persi).
who-team = Team { $team }:
who-open = { $count ->
        [one] 1 aperto
       *[other] { $count } aperti
    }
who-open-of = { $count }/{ $max } aperti
who-away-until = assente fino al { $last }
who-at-cap = al limite
who-outside-hours = fuori orario
who-available = disponibile
who-no-reps = nessun commerciale
who-no-teams = Nessun team configurato.

## /baton link, confirm, links

link-unknown-email = { $email } non è un utente Baton: usa la tua email di lavoro così com'è nella configurazione di Baton (chiedi a un admin di aggiungerti)
link-already-in-config = il tuo account Discord è già nella configurazione di Baton come { $email }; non c'è niente da collegare
link-email-in-config = { $email } ha il suo account Discord nella configurazione di Baton, quindi non può essere collegato; chiedi a un admin se è sbagliato
link-requested-manager = Collegamento richiesto: <@{ $user }> come { $email }. Vale quando il tuo manager ({ $manager }) o un admin lo conferma con /baton confirm @te.
link-requested-admin = Collegamento richiesto: <@{ $user }> come { $email }. Vale quando un admin lo conferma con /baton confirm @te.
link-none-waiting = <@{ $user }> non ha collegamenti in attesa: prima deve eseguire /baton link EMAIL
link-no-longer-user = { $email } non è più un utente Baton, quindi il collegamento non può essere confermato
link-confirm-in-config = { $email } ha il suo account Discord nella configurazione di Baton, quindi non può essere collegato
link-confirmed = Collegato: <@{ $user }> è { $email } in Baton.
links-title = Collegamenti Discord: { $count }
links-confirmed = { $email } = utente Discord { $user } (confermato da { $by })
links-waiting = { $email } ← utente Discord { $user } (in attesa dal { $since })
links-unknown = sconosciuto
links-history = Cronologia:
links-nothing-yet = ancora niente
links-someone = qualcuno
links-log-requested = { $when } l'utente Discord { $user } ha chiesto di essere { $email }
links-log-confirmed = { $when } { $by } ha confermato l'utente Discord { $user } come { $email }

## Motivi di rifiuto come si leggono (i codici restano in inglese)

reason-not_a_fit = Non in target
reason-no_budget = Senza budget
reason-no_authority = Senza potere decisionale
reason-no_need = Nessuna esigenza
reason-bad_timing = Momento sbagliato
reason-bad_contact = Contatto non valido
reason-duplicate = Duplicato
reason-competitor = Concorrente
reason-spam = Spam
reason-other = Altro
choice-source = fonte
choice-campaign = campagna
choice-rep = commerciale
choice-team = team

## Discord: errori nelle opzioni e descrizioni dei comandi

discord-option-missing = manca l'opzione "{ $option }"
discord-rating-needed = manca una valutazione da 1 a 5
discord-customers-needed = manca il numero di clienti
discord-unknown-command = /{ $command } non è un comando di Baton: prova /baton help (potrebbe servire registrare di nuovo i comandi di Baton)
discord-unknown-subcommand = /{ $command } { $sub } non è un comando di Baton: prova /baton help
discord-opt-lead = Il numero del lead (come nell'avviso) o il suo ID esterno
discord-opt-note = Una nota per la cronologia
discord-opt-period = 7d, 30d (predefinito), 90d, this-week, last-month, this-quarter, 2026-01-01..2026-03-31
discord-opt-whose = Di chi (la sua email); tu, se non indicato
discord-opt-team = Il nome di un team
discord-lead = Lavora un lead passato alle vendite
discord-lead-ack = Te ne occupi tu: ferma il tempo di prima risposta
discord-lead-ack-lead = { discord-opt-lead }
discord-lead-contacted = Hai contattato il lead
discord-lead-contacted-lead = { discord-opt-lead }
discord-lead-contacted-note = { discord-opt-note }
discord-lead-accept = Il lead è un'opportunità reale (diventa SQL)
discord-lead-accept-lead = { discord-opt-lead }
discord-lead-accept-note = { discord-opt-note }
discord-lead-reject = Il lead non è per le vendite
discord-lead-reject-lead = { discord-opt-lead }
discord-lead-reject-reason = Perché
discord-lead-reject-note = { discord-opt-note }
discord-lead-rate = Valuta la qualità del lead per il marketing
discord-lead-rate-lead = { discord-opt-lead }
discord-lead-rate-stars = Da 1 (scarso) a 5 (ottimo)
discord-lead-rate-note = { discord-opt-note }
discord-lead-show = Il lead, la sua cronologia e le scadenze SLA
discord-lead-show-lead = { discord-opt-lead }
discord-lead-why = Perché il lead è andato al suo assegnatario (assegnatario, manager, admin)
discord-lead-why-lead = { discord-opt-lead }
discord-lead-mine = I tuoi lead aperti e il tempo rimasto per ciascuno
discord-lead-reassign = Passa il lead a qualcun altro (manager, admin)
discord-lead-reassign-lead = { discord-opt-lead }
discord-lead-reassign-person = L'email del nuovo assegnatario
discord-lead-snooze = Rimanda il prossimo promemoria (una volta per scadenza, prima della scadenza)
discord-lead-snooze-lead = { discord-opt-lead }
discord-lead-snooze-duration = Per quanto, es. 30m, 2h o 1h30m
discord-lead-handback = Restituisci il tuo lead alla rotazione (una volta, prima di una violazione)
discord-lead-handback-lead = { discord-opt-lead }
discord-lead-handback-reason = Perché, per la cronologia
discord-funnel = Il funnel dei lead e il piano del funnel inverso
discord-funnel-report = Il funnel dei lead e gli esiti dei passaggi
discord-funnel-report-period = { discord-opt-period }
discord-funnel-report-by = Raggruppa per
discord-funnel-report-chart = Aggiungi il grafico del funnel
discord-funnel-report-share = Pubblicalo in questo canale per tutti (altrimenti lo vedi solo tu)
discord-funnel-plan = Cosa deve produrre ogni fase per N clienti, accanto al ritmo
discord-funnel-plan-customers = Clienti da acquisire
discord-funnel-plan-period = Quando: this-quarter (predefinito), this-month, this-week, 2027-01-01..2027-03-31
discord-funnel-plan-basis = Conversioni misurate su: 90d (predefinito), 180d, last-quarter, ...
discord-funnel-plan-by = Dividi per
discord-funnel-plan-chart = Aggiungi il grafico del piano
discord-sla = Tempi di risposta rispetto allo SLA
discord-sla-period = { discord-opt-period }
discord-sla-team = { discord-opt-team }
discord-baton = Aiuto e collegamento degli account Discord
discord-baton-help = Cosa sa fare Baton
discord-baton-link = Collega il tuo account Discord al tuo utente Baton
discord-baton-link-email = La tua email di lavoro, come nella configurazione di Baton
discord-baton-confirm = Conferma il collegamento di qualcuno (il manager di un commerciale, altrimenti un admin)
discord-baton-confirm-user = La persona che ha eseguito /baton link
discord-baton-links = I collegamenti Discord e la loro cronologia (manager, admin)
discord-baton-away = Assente: nessun nuovo lead fino ad allora (tu; i manager per il loro team)
discord-baton-away-period = today, 3d, 2026-12-24 o 2026-12-20..2027-01-03
discord-baton-away-person = { discord-opt-whose }
discord-baton-away-note = { discord-opt-note }
discord-baton-back = Di nuovo disponibile da adesso
discord-baton-back-person = { discord-opt-whose }
discord-baton-who = Chi è disponibile, assente o fuori orario, con i lead aperti
discord-baton-who-team = { discord-opt-team }

## Moduli e selettori

modal-reject-title = Rifiuta il lead #{ $lead }
modal-contacted-title = Lead #{ $lead } contattato
modal-reason = Motivo
modal-note = Nota (facoltativa)
modal-contacted-placeholder = Come lo hai contattato, qual è il prossimo passo
modal-rate-question = Com'era il lead #{ $lead }?
modal-cancel = Annulla
modal-reject-placeholder = Perché questo lead non è per le vendite?
modal-note-label = Nota
modal-record-contact = Registra contatto
discord-how-to-link = Baton non conosce ancora il tuo account Discord. Esegui /baton link tu@azienda.com con la tua email di lavoro, poi chiedi al tuo manager o a un admin di confermarlo con /baton confirm @te.

## Un avviso riassegnato e la fine di una cascata

note-by = da { $who }
note-handed-back = restituito
note-missed = { $clock ->
        [ack] conferma mancata
        [first_touch] primo contatto mancato
       *[disposition] decisione mancata
    }
reassigned-to-you = Riassegnato a te da { $from } ({ $note }): { $lead }
reassigned-to = Riassegnato a { $to } da { $from } ({ $note }): { $lead }
field-waiting = In attesa
reassigned-waiting = dal { $since } ({ $total } in totale)
cascade-end = { $count ->
        [0] Non riassegnato
        [one] Riassegnato una volta dopo una violazione
       *[other] Riassegnato { $count } volte dopo violazioni
    } (max_reassign = { $max }): il lead resta a { $manager }, il manager del team.

## Routing: why a lead went to whom (/lead why, the alert's Assigned line)

route-had-it = { $name } ha già avuto questo lead
route-away = { $name } è fuori ufficio fino a { $until }
route-at-cap = { $name } è al limite ({ $open }/{ $max } { $open ->
        [one] aperto
       *[other] aperti
    })
route-outside-hours = { $name } è fuori orario
route-owner-unknown = il proprietario { $email } non è un utente di Baton
route-owner-not-selling = il proprietario del lead, { $name }, { $role ->
        [admin] è un admin
        [manager] è un manager
        [marketer] è del marketing
       *[other] ha il ruolo { $role }
    }
route-account-owner-not-selling = il proprietario di { $domain }, { $name }, { $role ->
        [admin] è un admin
        [manager] è un manager
        [marketer] è del marketing
       *[other] ha il ruolo { $role }
    }
route-account-no-owner = l'account { $domain } non ha un proprietario
route-account-owner-unknown = il proprietario di { $domain } ({ $email }) non è un utente di Baton
route-account-owner-unavailable = proprietario dell'account { $domain }: { $why }
route-team-rule = la regola { $rule } ha scelto il team { $team }
route-team-fallback = [routing] fallback_team è { $team }
route-team-owner = il team { $team } è quello del proprietario
route-team-first = nessuna regola corrisponde: { $team } è il primo team
route-owns-lead = è il proprietario del lead
route-owns-lead-rotation-only = è il proprietario del lead, ma il team { $team } assegna solo a rotazione
route-owns-account = è il proprietario dell'account { $domain }
route-owns-memory = segue { $domain } (ha accettato il suo ultimo lead, passaggio { $handoff })
route-owns-but = { $owns }, ma { $why }
route-owner = { $name } è il proprietario del lead
route-owner-of = { $name } { $owns }
route-owner-no-team = { $name } è il proprietario del lead (nessun team configurato)
route-no-team = nessun team configurato: aggiungi un [[team]] e voci [[person]]
route-owners-only = il team assegna solo al proprietario
route-rotation = rotazione in { $team }
route-rotation-night = rotazione in { $team } (nessuno è in orario ora)
route-nobody-available = nessuno in { $team } è disponibile
route-turn = il suo turno nella rotazione ponderata di { $team } (peso { $weight })
route-not-turn = disponibile, ma non è ancora il suo turno
route-with-notes = { $how }; { $notes }
route-to-manager = { $headline }: inviato al manager
route-to-manager-notes = { $headline } ({ $notes }): inviato al manager
route-manages = manager di { $team }: { $headline }
why-assigned = Assegnato a { $assignee }: { $summary }
why-team = Team: { $team }
why-domain = Dominio dell'azienda: { $domain }
why-no-candidates = Per questa decisione non è stato salvato l'elenco dei candidati (presa prima che Baton lo salvasse).
why-chosen = ✓ riceve il lead: { $name } ({ $email }), fase { $step ->
        [owner] del proprietario
        [account] dell'account
        [rotation] della rotazione
       *[manager] del manager
    }: { $why }
why-skipped = ✗ non riceve il lead: { $name } ({ $email }), fase { $step ->
        [owner] del proprietario
        [account] dell'account
        [rotation] della rotazione
       *[manager] del manager
    }: { $why }

## A handoff's history: assignments, reassignments and breaches

log-assigned = assegnato a { $to }: { $why }
log-assigned-nobody = non assegnato: { $why }
log-no-alert-imported = nessun avviso: caricato con baton import --history
log-no-alert-too-old = nessun avviso: la modifica è più vecchia di watch.max_alert_age
log-reassigned = riassegnato a { $to }: { $why }
log-fresh-window = nuova finestra SLA per { $to } da { $from }
log-breached = SLA violato: { $clock }, scadenza { $due }
log-breached-silent = SLA violato: { $clock }, scadenza { $due } (nessun avviso per questo passaggio)
log-breached-stopped = SLA violato: { $clock }, scadenza { $due }; completato il { $stopped }
log-breached-own-window = SLA violato: { $clock }, scadenza { $due } nella finestra propria di { $name }; completato il { $stopped }
why-handed-back = restituito da { $name }; { $why }
why-handed-back-because = restituito da { $name } ({ $reason }); { $why }
why-breach-reassigned = SLA di { $clock } violato; { $why }
why-breach-to-manager = SLA di { $clock } violato dopo { $count ->
        [one] 1 riassegnazione
       *[other] { $count } riassegnazioni
    } (max_reassign): il lead resta al manager del team

## Typed mistakes found after the grammar: a team, an away period

team-unknown = il team "{ $team }" non esiste: usa uno di questi: { $teams } (o nessuno, per tutti)
team-unknown-none = il team "{ $team }" non esiste: nessun team è configurato
away-days-out-of-range = "{ $word }" è troppo lungo o troppo corto: l'assenza va da 1d a 366d
away-not-a-period = "{ $word }" non è un periodo: usa today, 3d, 2026-12-24 o 2026-12-20..2027-01-03
away-ends-before-start = "{ $word }" finisce prima di iniziare: scrivi prima il primo giorno

## Notices when a command, button or form could not be handled

notice-slack-no-email = Baton non vede il tuo indirizzo email su Slack: chiedi a un admin di aggiungere slack_id alla tua [[person]] nella configurazione di Baton
notice-slack-unreachable = Baton non riesce a contattare Slack per sapere chi sei: riprova tra un minuto
notice-shared = Pubblicato nel canale per tutti.
notice-share-failed = Baton non è riuscito a pubblicarlo nel canale; non è stato condiviso nulla. Riprova.
notice-failed = Qualcosa è andato storto in Baton; non è cambiato nulla. Riprova o avvisa un admin.
notice-failed-short = Qualcosa è andato storto in Baton. Riprova o avvisa un admin.
notice-failed-form = Qualcosa è andato storto in Baton; non è cambiato nulla. Riprova.
notice-unknown-command = Baton non conosce { $command }: usa /lead, /funnel, /sla o /baton help
notice-working = Ci sto lavorando…
notice-no-form = Baton non è riuscito ad aprire il modulo; scrivi { $instead }.
notice-internal-error = Baton non è riuscito a farlo per un errore interno (già registrato). Riprova tra poco.
notice-could-not = Baton non è riuscito a farlo.
notice-no-interaction-id = Baton non può gestire un'interazione senza id.
notice-replayed = Questa interazione è già stata gestita; non è cambiato nulla.
notice-no-discord-user = Baton non riesce a capire chi sei su Discord.
notice-unknown-interaction = Baton non gestisce questo tipo di interazione.
