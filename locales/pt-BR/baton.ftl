# Mensagens do Baton em português do Brasil. Os comandos (/lead ack), nomes de opções e
# códigos de motivo continuam em inglês.

## Botões e elementos da plataforma

action-ack = Confirmar
action-contacted = Contatado
action-accept = Aceitar
action-reject = Recusar
action-rate = Avaliar
rate-placeholder = Avalie de 1 a 5
footer-lead = Lead #{ $lead } · Baton
console-type = digite

## O alerta

alert-title = Novo MQL: { $lead }
field-lead = Lead
field-title = Cargo
field-email = E-mail
field-source = Origem
field-score = Pontuação
field-why = Por que é MQL
field-owner = Responsável
field-assigned = Atribuído a
field-handoff = Repasse
no-source = (sem origem)
nobody = ninguém
alert-sla = SLA: { $deadlines }
deadline-ack = confirmar até { $due } ({ $relative })
deadline-first-touch = primeiro contato até { $due } ({ $relative })
deadline-disposition = aceitar ou recusar até { $due } ({ $relative })

## Lembretes: o prazo, o tempo que falta e o passo que o cumpre

reminder-title-ack = Lembrete: { $left } para confirmar o lead #{ $lead } { $title }
reminder-title-first-touch = Lembrete: { $left } para o primeiro contato com o lead #{ $lead } { $title }
reminder-title-disposition = Lembrete: { $left } para aceitar ou recusar o lead #{ $lead } { $title }
reminder-text-ack = Prazo de confirmação: { $due } ({ $relative }). Para cumprir, clique em Confirmar ou digite /lead ack { $lead }.
reminder-text-first-touch = Prazo do primeiro contato: { $due } ({ $relative }). Para cumprir, clique em Contatado assim que falar com o lead, ou digite /lead contacted { $lead } [nota].
reminder-text-disposition = Prazo de decisão: { $due } ({ $relative }). Para cumprir, clique em Aceitar ou Recusar, ou digite /lead accept { $lead } ou /lead reject { $lead } MOTIVO.

## Escalonamentos: um prazo venceu

breach-ack = SLA estourado: confirmação do lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
breach-first-touch = SLA estourado: primeiro contato com o lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
breach-disposition = SLA estourado: decisão sobre o lead #{ $lead } { $title }, prazo { $due } ({ $late } de atraso), atribuído a { $assignee }
missed-reminders = Lembretes que venceram enquanto o Baton estava parado ({ $count })
missed-breaches = SLAs estourados enquanto o Baton estava parado ({ $count })

## Atualizações do alerta, no próprio alerta

update-title = Lead #{ $lead }: { $what }
update-acked = confirmado por { $by }
update-contacted = contatado por { $by }
update-accepted = aceito por { $by }
update-rejected = recusado por { $by } ({ $reason })
update-rated = avaliado com { $stars }/5 por { $by }
update-reassigned = reatribuído a { $to }: { $why }
update-duplicate = também chegou via { $via } às { $when } (lead { $record }); uma pessoa, um só handoff
update-accepted-outside = aceito por uma mudança de etapa para { $stage } fora do Baton
update-rejected-outside = recusado por uma mudança de etapa para { $stage } fora do Baton

## Tempos e contagens

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
                [one] { $d } dia
               *[other] { $d } dias
            }
       *[other] { $d } d { $h } h
    }
relative-future = em { $span }
relative-past = há { $span }
count-leads =
    { $count ->
        [one] { $count } lead
       *[other] { $count } leads
    }

## Boas-vindas de volta e o resumo da manhã

alert-welcome-back = Bem-vindo(a) de volta, { $name }: este é o seu primeiro lead desde o seu retorno.
summary-title = Bom dia, { $name }
summary-welcome-back = Bem-vindo(a) de volta, { $name }! Você volta a receber leads no ritmo justo do rodízio.
summary-nothing-open = Nada está em aberto para você agora.
