# Mensajes de Baton en español. Los comandos (/lead ack), los nombres de opciones y los
# códigos de motivo siguen en inglés.

## Botones y elementos de la plataforma

action-ack = Confirmar
action-contacted = Contactado
action-accept = Aceptar
action-reject = Rechazar
action-rate = Valorar
rate-placeholder = Valora de 1 a 5
footer-lead = Lead #{ $lead } · Baton
console-type = escribe

## La alerta

alert-title = Nuevo MQL: { $lead }
field-lead = Lead
field-title = Cargo
field-email = Correo
field-source = Origen
field-score = Puntuación
field-why = Por qué es MQL
field-owner = Propietario
field-assigned = Asignado a
field-handoff = Traspaso
no-source = (sin origen)
nobody = nadie
alert-sla = SLA: { $deadlines }
deadline-ack = confirmar antes de { $due } ({ $relative })
deadline-first-touch = primer contacto antes de { $due } ({ $relative })
deadline-disposition = aceptar o rechazar antes de { $due } ({ $relative })

## Recordatorios: el plazo, el tiempo que queda y el paso que lo cumple

reminder-title-ack = Recordatorio: { $left } para confirmar el lead #{ $lead } { $title }
reminder-title-first-touch = Recordatorio: { $left } para el primer contacto con el lead #{ $lead } { $title }
reminder-title-disposition = Recordatorio: { $left } para aceptar o rechazar el lead #{ $lead } { $title }
reminder-text-ack = Plazo de confirmación: { $due } ({ $relative }). Para cumplirlo, pulsa Confirmar o escribe /lead ack { $lead }.
reminder-text-first-touch = Plazo del primer contacto: { $due } ({ $relative }). Para cumplirlo, pulsa Contactado cuando hayas hablado con el lead, o escribe /lead contacted { $lead } [nota].
reminder-text-disposition = Plazo de decisión: { $due } ({ $relative }). Para cumplirlo, pulsa Aceptar o Rechazar, o escribe /lead accept { $lead } o /lead reject { $lead } MOTIVO.

## Escalados: venció un plazo

breach-ack = SLA incumplido: confirmación del lead #{ $lead } { $title }, plazo { $due } ({ $late } de retraso), asignado a { $assignee }
breach-first-touch = SLA incumplido: primer contacto con el lead #{ $lead } { $title }, plazo { $due } ({ $late } de retraso), asignado a { $assignee }
breach-disposition = SLA incumplido: decisión sobre el lead #{ $lead } { $title }, plazo { $due } ({ $late } de retraso), asignado a { $assignee }
missed-reminders = Recordatorios vencidos mientras Baton estaba detenido ({ $count })
missed-breaches = SLA incumplidos mientras Baton estaba detenido ({ $count })

## Cambios de la alerta, en la misma alerta

update-title = Lead #{ $lead }: { $what }
update-acked = confirmado por { $by }
update-contacted = contactado por { $by }
update-accepted = aceptado por { $by }
update-rejected = rechazado por { $by } ({ $reason })
update-rated = valorado con { $stars }/5 por { $by }
update-reassigned = reasignado a { $to }: { $why }
update-duplicate = también llegó vía { $via } a las { $when } (lead { $record }); una persona, un solo handoff
update-accepted-outside = aceptado por un cambio de etapa a { $stage } fuera de Baton
update-rejected-outside = rechazado por un cambio de etapa a { $stage } fuera de Baton

## Tiempos y recuentos

span-seconds = { $s } s
span-minutes = { $m } min
span-hours =
    { $m ->
        [0]
            { $h ->
                [one] { $h } hora
               *[other] { $h } horas
            }
       *[other] { $h } h { $m } min
    }
span-days =
    { $h ->
        [0]
            { $d ->
                [one] { $d } día
               *[other] { $d } días
            }
       *[other] { $d } d { $h } h
    }
relative-future = en { $span }
relative-past = hace { $span }
count-leads =
    { $count ->
        [one] { $count } lead
       *[other] { $count } leads
    }

## Bienvenida de vuelta y el resumen de la mañana

alert-welcome-back = Bienvenido/a de nuevo, { $name }: este es tu primer lead desde tu regreso.
summary-title = Buenos días, { $name }
summary-welcome-back = ¡Bienvenido/a de nuevo, { $name }! Vuelves a recibir leads al ritmo justo de la rotación.
summary-nothing-open = No tienes nada abierto ahora mismo.
