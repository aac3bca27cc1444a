-- dim_articles has exactly one row per file in the inventory.
select 'count mismatch' as problem
from (select count(*) as n from {{ ref('dim_articles') }}) as d,
     (select count(*) as n from {{ source('raw', 'files') }}) as f
where d.n <> f.n
