export const REQUIRED_COLUMNS = ['product_id', 'event_date', 'daily_sales'] as const;
export const OPTIONAL_COLUMNS = ['avg_price', 'avg_rating', 'product_name', 'category'] as const;
