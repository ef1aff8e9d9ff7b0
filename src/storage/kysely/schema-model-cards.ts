// Table of model cards' hand-written fields (migration 0010).

export interface ModelCardFieldsTable {
  model_id: string;
  project_id: string;
  intended_use: string;
  limitations: string;
  ethical_considerations: string;
  owners: string;
  updated_by: string | null;
  updated_at: number | null;
}

export interface ModelCardTables {
  model_card_fields: ModelCardFieldsTable;
}
