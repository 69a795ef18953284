-- reporting view: the column list names every column, the select list names none
create view if not exists rpt.v_pay_channel_share (pay_channel, amount, share_pct) as
select upper(pay_channel), sum(amount), round(100 * sum(amount) / sum(sum(amount)) over (), 2)
from ods_pay_flow
where dt >= date_format(date_sub(current_date, 30), 'yyyyMMdd')
group by upper(pay_channel);
