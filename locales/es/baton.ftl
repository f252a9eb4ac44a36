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
console-chart = Gráfico

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

## Errores de uso: qué estaba mal en el comando escrito (la línea de uso se queda como está)

usage-label = uso
usage-empty = el comando está vacío: prueba /lead, /funnel, /sla o /baton help
usage-unknown-command = comando desconocido { $command }: prueba /lead, /funnel, /sla o /baton help
usage-lead-what = ¿qué debe hacer /lead? usa ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze o handback
usage-unknown-lead-command = comando /lead desconocido { $sub }: usa ack, contacted, accept, reject, rate, show, why, mine, reassign, snooze o handback
usage-unknown-baton-command = comando /baton desconocido { $sub }: usa help, link, confirm, links, away, back o who
usage-reason-needed = falta el motivo: uno de { $reasons }
usage-unknown-reason = motivo desconocido { $reason }: usa uno de { $reasons }
usage-unknown-dimension = dimensión desconocida { $word }: usa source, campaign, rep o team
usage-reassign-who = ¿quién debe quedarse con el lead? indica su correo, como ana@example.com
usage-by-needs-dimension = "by" necesita una dimensión: source, campaign, rep o team
usage-funnel-split-once = el embudo solo se puede dividir de una forma: usa "by" una vez
usage-not-period-but-dimension = { $word } no es un periodo: para dividir el embudo, escribe "by { $dimension }"
usage-one-period = solo se permite un periodo, pero { $word } es un segundo
usage-customers-range = no se pueden planificar { $value } clientes: indica un número entero del 1 al 1000000
usage-plan-how-many = ¿cuántos clientes? p. ej. /funnel plan 12 customers
usage-plan-not-a-number = { $word } no es un número de clientes: escríbelo como /funnel plan 12 customers
usage-plan-customers = un plan es para clientes: escribe "{ $count } customers"
usage-plan-customers-not = un plan es para clientes: escribe "{ $count } customers", no { $word }
usage-basis-needs-period = "basis" necesita un periodo, p. ej. basis 180d
usage-basis-once = usa "basis" una sola vez
usage-plan-by-not = un plan se divide por source o campaign, no por { $dimension }
usage-plan-by-needs = "by" necesita source o campaign
usage-plan-split-once = el plan solo se puede dividir de una forma: usa "by" una vez
usage-plan-one-period = solo se permite un periodo, pero { $word } es un segundo (el periodo de las conversiones se escribe "basis { $basis }")
usage-link-email = falta el correo: el que usas en Baton, como ana@example.com
usage-confirm-whose = ¿qué vínculo? indica su usuario de Discord, como @ann o 2002
usage-away-how-long = ¿por cuánto tiempo? indica today, un número de días como 3d, o fechas como 2026-12-20..2027-01-03
usage-not-one-lead = { $word } no es un lead: indica un número de lead, como 12, o un ID externo
usage-not-discord-user = { $word } no es un usuario de Discord: menciónalo (@ann) o indica su ID de usuario
usage-lead-needed = falta el lead: su número, como 12, o su ID externo, como crm-778
usage-not-a-lead = { $word } no es un lead: el número de lead es un entero desde 1
usage-how-long = ¿por cuánto tiempo? indica una duración como 30m, 2h o 1h30m
usage-too-short = { $word } es demasiado corto: pospón al menos un segundo, p. ej. 30m
usage-not-a-duration = { $word } no es una duración: escribe un número y una unidad (s, m, h, d), p. ej. 30m, 2h o 1h30m
usage-rating-needed = falta la valoración: un número entero del 1 al 5
usage-not-a-rating = { $word } no es una valoración: usa un número entero del 1 al 5
usage-not-an-email = { $word } no es una dirección de correo: usa una como ana@example.com
usage-too-many = demasiadas palabras: no se esperaba { $word } aquí
period-not-a-period = "{ $word }" no es un periodo: usa 7d, 30d, 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter o 2026-01-01..2026-03-31
period-days-out-of-range = "{ $word }" no es un periodo: el número de días va del 1 al 3660
period-bad-date = "{ $word }" no es una fecha: escribe las fechas como AAAA-MM-DD, por ejemplo 2026-01-31
period-end-before-start = el periodo { $from }..{ $to } termina antes de empezar

## /baton help (los comandos y los marcadores se quedan en inglés)

help =
    Comandos de Baton (las respuestas son privadas: solo tú las ves):
    /lead ack LEAD - te encargas tú (detiene el plazo de primera respuesta)
    /lead contacted LEAD [note] - contactaste con el lead
    /lead accept LEAD [note] - el lead es una oportunidad real
    /lead reject LEAD REASON [note] - el lead no es para ventas; REASON es uno de not_a_fit, no_budget, no_authority, no_need, bad_timing, bad_contact, duplicate, competitor, spam, other
    /lead rate LEAD 1-5 [note] - valora la calidad del lead
    /lead show LEAD - el lead y su historial
    /lead why LEAD - por qué el lead fue a su responsable: cada candidato y por qué se descartó (el responsable, su mánager y los admins)
    /lead mine - tus leads abiertos
    /lead reassign LEAD EMAIL - pasa el lead a otra persona
    /lead snooze LEAD DURATION - pospone el próximo recordatorio, p. ej. /lead snooze 12 30m (una vez por plazo, sin pasar del vencimiento; se avisa a tu mánager)
    /lead handback LEAD [reason] - devuelve tu lead a la rotación, una vez, antes de incumplir el SLA
    /funnel [PERIOD] [by source|campaign|rep|team] [chart] [share] - el embudo de leads; con share se publica en el canal para todos
    /funnel plan N customers [PERIOD] [basis PERIOD] [by source|campaign] [chart] - lo que cada etapa debe aportar para N clientes (por defecto this-quarter, con las conversiones de los últimos 90d)
    /sla [PERIOD] [TEAM] - tiempos de respuesta frente al SLA; un plazo cuenta para quien tenía el lead cuando se cumplió o venció, y cada plazo vencido es un incumplimiento
    /baton link EMAIL - vincula tu cuenta de Discord con tu usuario de Baton
    /baton confirm USER - confirma el vínculo de Discord de alguien (su mánager para los comerciales; si no, un admin)
    /baton links - los vínculos de Discord y su historial (mánagers y admins)
    /baton away [EMAIL] today|3d|2026-12-20..2027-01-03 [note] - ausente: ningún lead nuevo hasta entonces (tú mismo; un mánager para los comerciales de su equipo)
    /baton back [EMAIL] - disponible de nuevo desde ahora
    /baton who [TEAM] - quién está disponible, ausente o fuera de horario, con sus leads abiertos
    /baton help - esta ayuda
    LEAD es un número como 12 o un ID externo como crm-778. PERIOD es 7d, 30d (por defecto), 90d, this-week, last-week, this-month, last-month, this-quarter, last-quarter o 2026-01-01..2026-03-31.

## Rechazos: quién puede hacer qué

refuse-not-yours = solo el responsable ({ $assignee }), su mánager o un admin puede hacer eso
refuse-availability-not-your-rep = { $person } no es comercial de un equipo que gestionas: un mánager solo define la disponibilidad de los comerciales de su propio equipo
refuse-availability-own-only = solo puedes definir tu propia disponibilidad, no la de { $person }: puede hacerlo su mánager o un admin
refuse-reassign = solo el mánager del equipo o un admin puede reasignar un lead
refuse-handback-decided =
    el lead #{ $lead } ya fue { $status ->
        [accepted] aceptado
        [rejected] rechazado
       *[other] { $status }
    }: no hay nada que devolver
    uso: /lead handback LEAD [reason]
refuse-handback-not-yours =
    el lead #{ $lead } no es tuyo (está asignado a { $assignee }): solo su responsable puede devolverlo; un mánager lo mueve con /lead reassign
    uso: /lead handback LEAD [reason]
refuse-handback-twice =
    ya devolviste el lead #{ $lead } el { $at }: un lead solo se puede devolver una vez; pide a tu mánager que lo reasigne (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-handback-breached =
    el SLA de { $clock ->
        [ack] confirmación
        [first_touch] primer contacto
        [disposition] decisión
       *[other] { $clock }
    } del lead #{ $lead } ya venció mientras lo tenías: un lead solo se puede devolver antes de incumplir el SLA; pide a tu mánager que lo reasigne (/lead reassign)
    uso: /lead handback LEAD [reason]
refuse-confirm-role = { $person } es { $role ->
        [admin] admin
        [manager] mánager
        [marketer] de marketing
       *[other] { $role }
    }: solo un admin puede confirmar el vínculo de un mánager, de alguien de marketing o de un admin
refuse-confirm-manager = solo el mánager del equipo de { $person } ({ $manager }) o un admin puede confirmar este vínculo
refuse-confirm-no-manager = solo el mánager del equipo de { $person } o un admin puede confirmar este vínculo
refuse-links = solo los mánagers y los admins pueden ver los vínculos de Discord
refuse-unknown-person = { $who } no es usuario de Baton: pide a un admin que te añada como [[person]] en la configuración (o vincula tu cuenta con /baton link EMAIL)

## Respuestas a los comandos

the-crm = el CRM
unknown-time = una hora desconocida
reply-who-when = { $by } el { $at }
reply-link-elsewhere = /baton link es para Discord, que no puede buscar a las personas por correo: úsalo allí. En Slack Baton te encuentra por tu correo, y en la consola actúas como alguien con @correo
reply-no-such-lead = no existe el lead { $lead }: usa el número que aparece en la alerta (p. ej. /lead show 12) o el ID externo del lead
reply-no-handoff = el lead #{ $lead } no tiene traspaso: nunca ha sido MQL
reply-already-acked = el lead #{ $lead } ya lo confirmó { $who }
reply-acked = Lead #{ $lead } confirmado: { $name }.
reply-already-contacted = el contacto con el lead #{ $lead } ya se registró el { $at }
reply-contacted = Primer contacto con el lead #{ $lead } registrado.
reply-already-decided = el lead #{ $lead } ya fue { $status ->
        [accepted] aceptado
        [rejected] rechazado
       *[other] { $status }
    } por { $who }
reply-decided = Lead #{ $lead } { $status ->
        [accepted] aceptado
        [rejected] rechazado
       *[other] { $status }
    }; su etapa ahora es { $stage }.
reply-already-rated = el lead #{ $lead } ya tiene una valoración de { $stars }
reply-rated = Lead #{ $lead } valorado con { $stars }/5. Gracias: marketing lo ve en /funnel.
reply-why-no-handoff = el lead #{ $lead } no tiene traspaso: nunca ha sido MQL, así que no se eligió a nadie
reply-why-not-allowed = solo el responsable ({ $assignee }), su mánager o un admin puede ver por qué el lead #{ $lead } fue a esa persona
reply-why-no-decision = el traspaso #{ $handoff } del lead #{ $lead } no tiene una decisión de asignación guardada
reply-why-title = Por qué el lead #{ $lead } ({ $name }) fue a { $assignee } (traspaso #{ $handoff }, asignado { $when }):
reply-why-reassigned-since = Desde entonces el lead se reasignó a { $assignee } (ver /lead show { $lead }).
reply-reassign-unknown =
    { $to } no es usuario de Baton: reasigna a alguien que figure como [[person]]
    uso: /lead reassign LEAD EMAIL
reply-no-open-handoff = el lead #{ $lead } no tiene un traspaso abierto que reasignar
reply-already-assigned = el lead #{ $lead } ya está asignado a { $to }
reply-reassigned = El lead #{ $lead } ahora está asignado a { $to }; los plazos del SLA siguen corriendo desde la hora del MQL.
reply-handback-nobody = nadie más puede quedarse ahora con el lead #{ $lead } ({ $reason }): sigue contigo; pide a tu mánager que lo reasigne (/lead reassign)
reply-handed-back = El lead #{ $lead } ha vuelto a la rotación y ahora lo tiene { $name }. No se te registra ningún incumplimiento.

## /lead mine

mine-none = No tienes traspasos abiertos.
mine-title = { $count ->
        [one] Tu traspaso abierto (1):
       *[other] Tus traspasos abiertos ({ $count }):
    }
mine-line = #{ $lead } { $name }: abierto desde hace { $age }, { $acked ->
        [yes] confirmado
       *[no] sin confirmar
    }
mine-own-window = tu propio plazo desde { $since } (reasignado a ti)

## Los plazos de un traspaso (/lead show, /lead mine)

clock-ack = confirmación
clock-first-touch = primer contacto
clock-disposition = decisión
clock-line = { $clock } antes del { $due }: { $state }
clock-met = cumplido
clock-breached-late = incumplido, { $late } de retraso
clock-stopped = detenido
clock-breached-ago = INCUMPLIDO hace { $ago }
clock-left = quedan { $left }

## /lead show

show-title = Lead #{ $lead }: { $title }
field-stage = Etapa
field-external-id = ID externo
field-company-size = Tamaño de la empresa
show-no-handoffs = Aún no hay traspasos.
show-handoff = Traspaso #{ $handoff } ({ $status ->
        [open] abierto
        [accepted] aceptado
        [rejected] rechazado
       *[other] { $status }
    }) a { $assignee }, abierto el { $opened }
show-attached = Adjuntado a
show-attached-line = { $when }: MQL de la misma persona, adjuntado al traspaso #{ $handoff } del lead #{ $lead } (una persona, un traspaso)

## El historial de un traspaso (guardado con sus argumentos, mostrado en el idioma de quien lo lee)

why-stage-changed = la etapa cambió de { $from } a mql el { $at }
why-created = creado como mql el { $at }
log-reminded = recordatorio enviado: { $clock } antes del { $due }
log-snoozed = pospuso el recordatorio de { $clock } { $span }, hasta el { $until }

## /lead snooze

snooze-stop-disposition = /lead accept { $lead } o /lead reject { $lead } REASON
snooze-no-open-handoff = el lead #{ $lead } no tiene un traspaso abierto: no hay recordatorio que posponer
snooze-not-assignee = solo el responsable ({ $assignee }) puede posponer los recordatorios del lead #{ $lead }
snooze-nothing-to-come = no quedan recordatorios del lead #{ $lead }: no hay nada que posponer
snooze-already = ya pospusiste el recordatorio de { $clock } del lead #{ $lead } (hasta el { $until }): cada plazo se puede posponer una sola vez. Para detenerlo, escribe { $stop }
snooze-past-deadline =
    posponer { $by } llegaría al vencimiento de { $clock } del lead #{ $lead } ({ $deadline }, en { $left }): pospón menos de { $left } o detén el plazo con { $stop }
    uso: /lead snooze LEAD DURATION
snooze-raced = el recordatorio de { $clock } del lead #{ $lead } ya se pospuso: cada plazo se puede posponer una sola vez
snooze-manager-told = Se avisó a { $name }.
snooze-done = Recordatorio de { $clock } del lead #{ $lead } pospuesto { $span }: el próximo llega el { $next } ({ $next_relative }); el vencimiento sigue siendo el { $deadline } ({ $deadline_relative }).
snoozed-title = { $who } pospuso { $span } el recordatorio de { $clock } del lead #{ $lead } { $title }
snoozed-text = Próximo recordatorio el { $next } ({ $next_relative }); el vencimiento de { $clock } sigue siendo el { $deadline } ({ $deadline_relative }).

## /baton away, back, who

away-over =
    { $period } ya pasó (hoy es { $today } para { $person }): indica hoy o días posteriores
    uso: /baton away [PERSON] today|3d|YYYY-MM-DD..YYYY-MM-DD [note]
away-told = { $person } está ausente del { $first } al { $last } (lo indicó { $by }): no le llegan leads nuevos hasta entonces
away-told-note = { $person } está ausente del { $first } al { $last } (lo indicó { $by }): no le llegan leads nuevos hasta entonces. Nota: { $note }
away-done = { $who ->
        [you] Estás ausente
       *[other] { $who } está ausente
    } del { $first } al { $last }: ningún lead nuevo hasta entonces. /baton back lo termina antes.
back-told = { $person } ha vuelto (lo indicó { $by }): vuelve a recibir leads nuevos
back-done = { $who ->
        [you] Bienvenido de nuevo: vuelves a recibir
       *[other] { $who } ha vuelto y vuelve a recibir
    } leads nuevos, al ritmo justo de la rotación (sin recuperar los que se perdieron).
who-team = Equipo { $team }:
who-open = { $count ->
        [one] 1 abierto
       *[other] { $count } abiertos
    }
who-open-of = { $count }/{ $max } abiertos
who-away-until = ausente hasta el { $last }
who-at-cap = en su límite
who-outside-hours = fuera de horario
who-available = disponible
who-no-reps = sin comerciales
who-no-teams = No hay equipos configurados.

## /baton link, confirm, links

link-unknown-email = { $email } no es usuario de Baton: usa tu correo de trabajo tal como figura en la configuración de Baton (pide a un admin que te añada)
link-already-in-config = tu cuenta de Discord ya figura en la configuración de Baton como { $email }; no hay nada que vincular
link-email-in-config = { $email } tiene su cuenta de Discord en la configuración de Baton, así que no se puede vincular; consulta a un admin si es un error
link-requested-manager = Vínculo solicitado: <@{ $user }> como { $email }. Se activa cuando tu mánager ({ $manager }) o un admin lo confirme con /baton confirm @tú.
link-requested-admin = Vínculo solicitado: <@{ $user }> como { $email }. Se activa cuando un admin lo confirme con /baton confirm @tú.
link-none-waiting = <@{ $user }> no tiene ningún vínculo pendiente: primero debe ejecutar /baton link EMAIL
link-no-longer-user = { $email } ya no es usuario de Baton, así que el vínculo no se puede confirmar
link-confirm-in-config = { $email } tiene su cuenta de Discord en la configuración de Baton, así que no se puede vincular
link-confirmed = Vinculado: <@{ $user }> es { $email } en Baton.
links-title = Vínculos de Discord: { $count }
links-confirmed = { $email } = usuario de Discord { $user } (confirmado por { $by })
links-waiting = { $email } ← usuario de Discord { $user } (pendiente desde el { $since })
links-unknown = desconocido
links-history = Historial:
links-nothing-yet = nada todavía
links-someone = alguien
links-log-requested = { $when } el usuario de Discord { $user } pidió ser { $email }
links-log-confirmed = { $when } { $by } confirmó al usuario de Discord { $user } como { $email }

## Motivos de rechazo tal como se leen (los códigos se quedan en inglés)

reason-not_a_fit = No encaja
reason-no_budget = Sin presupuesto
reason-no_authority = Sin poder de decisión
reason-no_need = Sin necesidad
reason-bad_timing = Mal momento
reason-bad_contact = Datos de contacto erróneos
reason-duplicate = Duplicado
reason-competitor = Competidor
reason-spam = Spam
reason-other = Otro
choice-source = origen
choice-campaign = campaña
choice-rep = comercial
choice-team = equipo

## Discord: errores en las opciones y las descripciones de los comandos

discord-option-missing = falta la opción "{ $option }"
discord-rating-needed = falta una valoración del 1 al 5
discord-customers-needed = falta el número de clientes
discord-unknown-command = /{ $command } no es un comando de Baton: prueba /baton help (puede que haya que volver a registrar los comandos de Baton)
discord-unknown-subcommand = /{ $command } { $sub } no es un comando de Baton: prueba /baton help
discord-opt-lead = El número del lead (como en la alerta) o su ID externo
discord-opt-note = Una nota para el registro
discord-opt-period = 7d, 30d (por defecto), 90d, this-week, last-month, this-quarter, 2026-01-01..2026-03-31
discord-opt-whose = De quién (su correo); tú si se deja vacío
discord-opt-team = El nombre de un equipo
discord-lead = Trabaja un lead traspasado a ventas
discord-lead-ack = Te encargas tú: detiene el plazo de primera respuesta
discord-lead-ack-lead = { discord-opt-lead }
discord-lead-contacted = Contactaste con el lead
discord-lead-contacted-lead = { discord-opt-lead }
discord-lead-contacted-note = { discord-opt-note }
discord-lead-accept = El lead es una oportunidad real (pasa a SQL)
discord-lead-accept-lead = { discord-opt-lead }
discord-lead-accept-note = { discord-opt-note }
discord-lead-reject = El lead no es para ventas
discord-lead-reject-lead = { discord-opt-lead }
discord-lead-reject-reason = Por qué
discord-lead-reject-note = { discord-opt-note }
discord-lead-rate = Valora la calidad del lead para marketing
discord-lead-rate-lead = { discord-opt-lead }
discord-lead-rate-stars = 1 (malo) a 5 (excelente)
discord-lead-rate-note = { discord-opt-note }
discord-lead-show = El lead, su historial y sus plazos de SLA
discord-lead-show-lead = { discord-opt-lead }
discord-lead-why = Por qué el lead fue a su responsable (responsable, mánager, admins)
discord-lead-why-lead = { discord-opt-lead }
discord-lead-mine = Tus leads abiertos y el tiempo que queda en cada uno
discord-lead-reassign = Pasa el lead a otra persona (mánagers, admins)
discord-lead-reassign-lead = { discord-opt-lead }
discord-lead-reassign-person = El correo del nuevo responsable
discord-lead-snooze = Pospón el próximo recordatorio (una vez por plazo, antes del vencimiento)
discord-lead-snooze-lead = { discord-opt-lead }
discord-lead-snooze-duration = Cuánto tiempo, p. ej. 30m, 2h o 1h30m
discord-lead-handback = Devuelve tu lead a la rotación (una vez, antes de incumplir el SLA)
discord-lead-handback-lead = { discord-opt-lead }
discord-lead-handback-reason = Por qué, para el registro
discord-funnel = El embudo de leads y el plan del embudo inverso
discord-funnel-report = El embudo de leads y el resultado de los traspasos
discord-funnel-report-period = { discord-opt-period }
discord-funnel-report-by = Agrupar por
discord-funnel-report-chart = Añadir el gráfico del embudo
discord-funnel-report-share = Publicarlo en este canal para todos (si no, solo lo ves tú)
discord-funnel-plan = Lo que cada etapa debe aportar para N clientes, junto al ritmo
discord-funnel-plan-customers = Clientes que conseguir
discord-funnel-plan-period = Cuándo: this-quarter (por defecto), this-month, this-week, 2027-01-01..2027-03-31
discord-funnel-plan-basis = Conversiones medidas en: 90d (por defecto), 180d, last-quarter, ...
discord-funnel-plan-by = Dividir por
discord-funnel-plan-chart = Añadir el gráfico del plan
discord-sla = Tiempos de respuesta frente al SLA
discord-sla-period = { discord-opt-period }
discord-sla-team = { discord-opt-team }
discord-baton = Ayuda y vinculación de cuentas de Discord
discord-baton-help = Qué puede hacer Baton
discord-baton-link = Vincula tu cuenta de Discord con tu usuario de Baton
discord-baton-link-email = Tu correo de trabajo, como en la configuración de Baton
discord-baton-confirm = Confirma el vínculo de alguien (el mánager de un comercial; si no, un admin)
discord-baton-confirm-user = La persona que ejecutó /baton link
discord-baton-links = Los vínculos de Discord y su historial (mánagers, admins)
discord-baton-away = Ausente: ningún lead nuevo hasta entonces (tú; los mánagers para su equipo)
discord-baton-away-period = today, 3d, 2026-12-24 o 2026-12-20..2027-01-03
discord-baton-away-person = { discord-opt-whose }
discord-baton-away-note = { discord-opt-note }
discord-baton-back = Disponible de nuevo desde ahora
discord-baton-back-person = { discord-opt-whose }
discord-baton-who = Quién está disponible, ausente o fuera de horario, con sus leads abiertos
discord-baton-who-team = { discord-opt-team }

## Formularios y selectores

modal-reject-title = Rechazar lead #{ $lead }
modal-contacted-title = Lead #{ $lead } contactado
modal-reason = Motivo
modal-note = Nota (opcional)
modal-contacted-placeholder = Cómo lo contactaste y cuál es el siguiente paso
modal-rate-question = ¿Qué tal era el lead #{ $lead }?
modal-cancel = Cancelar
modal-reject-placeholder = ¿Por qué este lead no es para ventas?
modal-note-label = Nota
modal-record-contact = Registrar contacto
discord-how-to-link = Baton aún no conoce tu cuenta de Discord. Ejecuta /baton link tu@empresa.com con tu correo de trabajo y pide a tu mánager o a un admin que lo confirme con /baton confirm @tú.

## Una alerta reasignada y el final de una cascada

note-by = por { $who }
note-handed-back = devuelto
note-missed = { $clock ->
        [ack] confirmación vencida
        [first_touch] primer contacto vencido
       *[disposition] decisión vencida
    }
reassigned-to-you = Reasignado a ti, antes con { $from } ({ $note }): { $lead }
reassigned-to = Reasignado a { $to }, antes con { $from } ({ $note }): { $lead }
field-waiting = Esperando
reassigned-waiting = desde el { $since } ({ $total } en total)
cascade-end = { $count ->
        [0] Sin reasignar
        [one] Reasignado una vez tras un incumplimiento
       *[other] Reasignado { $count } veces tras incumplimientos
    } (max_reassign = { $max }): el lead se queda con { $manager }, mánager del equipo.

## Routing: why a lead went to whom (/lead why, the alert's Assigned line)

route-had-it = { $name } ya tuvo este lead
route-away = { $name } está fuera de la oficina hasta el { $until }
route-at-cap = { $name } está en su límite ({ $open }/{ $max } { $open ->
        [one] abierto
       *[other] abiertos
    })
route-outside-hours = { $name } está fuera de horario
route-owner-unknown = el propietario { $email } no es un usuario de Baton
route-owner-not-selling = el propietario del lead, { $name }, { $role ->
        [admin] es admin
        [manager] es mánager
        [marketer] es de marketing
       *[other] tiene el rol { $role }
    }
route-account-owner-not-selling = el propietario de { $domain }, { $name }, { $role ->
        [admin] es admin
        [manager] es mánager
        [marketer] es de marketing
       *[other] tiene el rol { $role }
    }
route-account-no-owner = la cuenta { $domain } no tiene propietario
route-account-owner-unknown = el propietario de { $domain } ({ $email }) no es un usuario de Baton
route-account-owner-unavailable = propietario de la cuenta { $domain }: { $why }
route-team-rule = la regla { $rule } eligió el equipo { $team }
route-team-fallback = [routing] fallback_team es { $team }
route-team-owner = el equipo { $team } es el del propietario
route-team-first = ninguna regla coincidió: { $team } es el primer equipo
route-owns-lead = es el propietario del lead
route-owns-lead-rotation-only = es el propietario del lead, pero el equipo { $team } reparte solo por rotación
route-owns-account = es el propietario de la cuenta { $domain }
route-owns-memory = lleva { $domain } (aceptó su último lead, traspaso { $handoff })
route-owns-but = { $owns }, pero { $why }
route-owner = { $name } es el propietario del lead
route-owner-of = { $name } { $owns }
route-owner-no-team = { $name } es el propietario del lead (no hay equipos configurados)
route-no-team = no hay equipos configurados: añade un [[team]] y entradas [[person]]
route-owners-only = el equipo solo asigna al propietario
route-rotation = rotación en { $team }
route-rotation-night = rotación en { $team } (nadie está en horario ahora)
route-nobody-available = nadie en { $team } está disponible
route-turn = su turno en la rotación ponderada de { $team } (peso { $weight })
route-not-turn = disponible, pero aún no es su turno
route-with-notes = { $how }; { $notes }
route-to-manager = { $headline }: enviado al mánager
route-to-manager-notes = { $headline } ({ $notes }): enviado al mánager
route-manages = mánager de { $team }: { $headline }
why-assigned = Asignado a { $assignee }: { $summary }
why-team = Equipo: { $team }
why-domain = Dominio de la empresa: { $domain }
why-no-candidates = Esta decisión no guardó la lista de candidatos (se tomó antes de que Baton la guardara).
why-chosen = ✓ se queda con el lead: { $name } ({ $email }), paso { $step ->
        [owner] del propietario
        [account] de la cuenta
        [rotation] de la rotación
       *[manager] del mánager
    }: { $why }
why-skipped = ✗ no se queda con el lead: { $name } ({ $email }), paso { $step ->
        [owner] del propietario
        [account] de la cuenta
        [rotation] de la rotación
       *[manager] del mánager
    }: { $why }

## A handoff's history: assignments, reassignments and breaches

log-assigned = asignado a { $to }: { $why }
log-assigned-nobody = sin asignar: { $why }
log-no-alert-imported = sin alerta: cargado con baton import --history
log-no-alert-too-old = sin alerta: el cambio es más antiguo que watch.max_alert_age
log-reassigned = reasignado a { $to }: { $why }
log-fresh-window = nueva ventana de SLA para { $to } desde el { $from }
log-breached = SLA incumplido: { $clock }, plazo { $due }
log-breached-silent = SLA incumplido: { $clock }, plazo { $due } (sin alerta para este traspaso)
log-breached-stopped = SLA incumplido: { $clock }, plazo { $due }; completado el { $stopped }
log-breached-own-window = SLA incumplido: { $clock }, plazo { $due } en la ventana propia de { $name }; completado el { $stopped }
why-handed-back = devuelto por { $name }; { $why }
why-handed-back-because = devuelto por { $name } ({ $reason }); { $why }
why-breach-reassigned = SLA de { $clock } incumplido; { $why }
why-breach-to-manager = SLA de { $clock } incumplido tras { $count ->
        [one] 1 reasignación
       *[other] { $count } reasignaciones
    } (max_reassign): el lead se queda con el mánager del equipo

## Typed mistakes found after the grammar: a team, an away period

team-unknown = no existe el equipo "{ $team }": usa uno de estos: { $teams } (o ninguno, para todos)
team-unknown-none = no existe el equipo "{ $team }": no hay equipos configurados
away-days-out-of-range = "{ $word }" es demasiado largo o corto: la ausencia va de 1d a 366d
away-not-a-period = "{ $word }" no es un periodo: usa today, 3d, 2026-12-24 o 2026-12-20..2027-01-03
away-ends-before-start = "{ $word }" termina antes de empezar: escribe primero el día inicial

## Notices when a command, button or form could not be handled

notice-slack-no-email = Baton no puede ver tu correo en Slack: pide a un admin que añada slack_id a tu [[person]] en la configuración de Baton
notice-slack-unreachable = Baton no ha podido contactar con Slack para saber quién eres: inténtalo de nuevo en un minuto
notice-shared = Publicado en el canal para todos.
notice-share-failed = Baton no ha podido publicarlo en el canal; no se ha compartido nada. Inténtalo de nuevo.
notice-failed = Algo ha fallado en Baton; no se ha cambiado nada. Inténtalo de nuevo o avisa a un admin.
notice-failed-short = Algo ha fallado en Baton. Inténtalo de nuevo o avisa a un admin.
notice-failed-form = Algo ha fallado en Baton; no se ha cambiado nada. Inténtalo de nuevo.
notice-unknown-command = Baton no conoce { $command }: usa /lead, /funnel, /sla o /baton help
notice-working = Procesando…
notice-no-form = Baton no ha podido abrir el formulario; escribe { $instead }.
notice-internal-error = Baton no ha podido hacerlo por un error interno (ya registrado). Inténtalo de nuevo en un momento.
notice-could-not = Baton no ha podido hacerlo.
notice-no-interaction-id = Baton no puede gestionar una interacción sin id.
notice-replayed = Esta interacción ya se gestionó; no se ha cambiado nada.
notice-no-discord-user = Baton no puede saber quién eres en Discord.
notice-unknown-interaction = Baton no gestiona este tipo de interacción.
