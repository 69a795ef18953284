CREATE OR REPLACE VIEW dw.v_sales_store AS
SELECT s.*, st.name FROM dw.sales s LEFT JOIN dw.stores st ON s.store_id = st.id;
