// data "agyn_user": the caller (GetMe) by default.
import type { Schema } from "./declaration";

const computedString = (description: string, markdownDescription?: string) =>
  ({ type: "string", computed: true, description, markdownDescription }) as const;

export const userDataSourceSchema: Schema = {
  version: 0,
  block: {
    description: "Reads an agyn user. With no arguments it returns the caller: the identity the provider authenticates as.",
    markdownDescription:
      "Reads an agyn user. With no arguments it returns the caller — the identity the provider's token belongs to (`GetMe`).",
    attributes: {
      identity_id: computedString("The user's identity id (a UUID)."),
      oidc_subject: computedString("The OIDC subject the user signs in with."),
      name: computedString("Display name."),
      email: computedString("Email address, or empty when the Gateway has none."),
      username: computedString("Unique username."),
      photo_url: computedString("URL of the user's picture, or empty."),
      cluster_role: computedString('Cluster role: "admin" or "none".', 'Cluster role: `admin` or `none`.'),
    },
  },
};
