//! The small hand-written OpenAPI document the unit tests share; the published document is
//! exercised in `tests/oas.rs`.

use super::Oas;

const MINI: &str = r"
openapi: 3.0.3
components:
  schemas:
    Thing:
      type: object
      required: [id, secret]
      properties:
        id: {type: integer, readOnly: true, example: 5}
        name: {type: string, nullable: true}
        kind: {type: string, enum: [a, b], nullable: true}
        email: {type: string, format: datetime}
        owner:
          $ref: '#/components/schemas/Owner'
        maybe_owner:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/Owner'
        secret: {type: string, writeOnly: true}
        score: {type: number, maximum: 10, exclusiveMaximum: true}
      example: {id: 1}
      x-zendesk: ignored
    Owner:
      type: object
      required: [id]
      properties:
        id: {type: integer}
    Mixed:
      allOf:
        - $ref: '#/components/schemas/Owner'
        - type: object
          properties:
            note: {type: string}
    Dangling:
      $ref: '#/components/schemas/Nowhere'
";

pub(super) fn mini() -> Oas {
    Oas::from_yaml_str(MINI).expect("mini document loads")
}
