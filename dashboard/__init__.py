"""督办看板 dashboard: Streamlit pages (thin), pure chart builders, labels and export helpers."""
