"""The analysts' dashboard (Streamlit) over the published Parquet copies of the marts."""
