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
