// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface ApiTokenConfig extends cdktn.TerraformMetaArguments {
  /**
  * Allow revoking this token even when it is the very token the provider authenticates with (which would lock Terraform out). Default `false`. Changing it does not touch the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#allow_self_revoke ApiToken#allow_self_revoke}
  */
  readonly allowSelfRevoke?: boolean | cdktn.IResolvable;
  /**
  * What the token is for (the Gateway's token `name`), e.g. `"prod terraform"`. Changing it replaces the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#description ApiToken#description}
  */
  readonly description: string;
  /**
  * When the token expires, RFC 3339 (e.g. `2027-06-01T00:00:00Z`). Omit it and `expires_in` for a long-lived token. Must be in the future when the token is created or replaced. Another spelling of the same instant is not a change; a different instant replaces the token. With `expires_in`, shows the expiry it produced.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#expires_at ApiToken#expires_at}
  */
  readonly expiresAt?: string;
  /**
  * Lifetime from creation as a Go duration (e.g. `"2160h"` for 90 days); the alternative to `expires_at`. The expiry is fixed when the token is created and does not drift on later plans. The provider adds one second for the request to reach the Gateway, so `expires_at` is never less than `expires_in` after the `created_at` the Gateway records. Changing it replaces the token (an equivalent spelling such as `"60m"` for `"1h"` does not). Setting it on a token that already has an expiry, e.g. after import, adopts the token as it is; the lifetime applies from the next replacement.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#expires_in ApiToken#expires_in}
  */
  readonly expiresIn?: string;
  /**
  * Replace the token when a plan runs within this duration (Go syntax, e.g. `"360h"`) before it expires, or after it expired. Needs an expiry: with `expires_in` the plan replaces the token (a new expiry is computed); with a fixed `expires_at` the plan only warns, because a replacement would get the same expiry. Changing it does not touch the token.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#rotate_before ApiToken#rotate_before}
  */
  readonly rotateBefore?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token agyn_api_token}
*/
export class ApiToken extends cdktn.TerraformResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn_api_token";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTN code for importing a ApiToken resource upon running "cdktn plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the ApiToken to import
  * @param importFromId The id of the existing ApiToken that should be imported. Refer to the {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the ApiToken to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktn.TerraformProvider) {
        return new cdktn.ImportableResource(scope, importToId, { terraformResourceType: "agyn_api_token", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/resources/api_token agyn_api_token} Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options ApiTokenConfig
  */
  public constructor(scope: Construct, id: string, config: ApiTokenConfig) {
    super(scope, id, {
      terraformResourceType: 'agyn_api_token',
      terraformGeneratorMetadata: {
        providerName: 'agyn',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._allowSelfRevoke = config.allowSelfRevoke;
    this._description = config.description;
    this._expiresAt = config.expiresAt;
    this._expiresIn = config.expiresIn;
    this._rotateBefore = config.rotateBefore;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // allow_self_revoke - computed: false, optional: true, required: false
  private _allowSelfRevoke?: boolean | cdktn.IResolvable; 
  public get allowSelfRevoke() {
    return this.getBooleanAttribute('allow_self_revoke');
  }
  public set allowSelfRevoke(value: boolean | cdktn.IResolvable) {
    this._allowSelfRevoke = value;
  }
  public resetAllowSelfRevoke() {
    this._allowSelfRevoke = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get allowSelfRevokeInput() {
    return this._allowSelfRevoke;
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // description - computed: false, optional: false, required: true
  private _description?: string; 
  public get description() {
    return this.getStringAttribute('description');
  }
  public set description(value: string) {
    this._description = value;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionInput() {
    return this._description;
  }

  // expired - computed: true, optional: false, required: false
  public get expired() {
    return this.getBooleanAttribute('expired');
  }

  // expires_at - computed: true, optional: true, required: false
  private _expiresAt?: string; 
  public get expiresAt() {
    return this.getStringAttribute('expires_at');
  }
  public set expiresAt(value: string) {
    this._expiresAt = value;
  }
  public resetExpiresAt() {
    this._expiresAt = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expiresAtInput() {
    return this._expiresAt;
  }

  // expires_in - computed: false, optional: true, required: false
  private _expiresIn?: string; 
  public get expiresIn() {
    return this.getStringAttribute('expires_in');
  }
  public set expiresIn(value: string) {
    this._expiresIn = value;
  }
  public resetExpiresIn() {
    this._expiresIn = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expiresInInput() {
    return this._expiresIn;
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // identity_id - computed: true, optional: false, required: false
  public get identityId() {
    return this.getStringAttribute('identity_id');
  }

  // last_used_at - computed: true, optional: false, required: false
  public get lastUsedAt() {
    return this.getStringAttribute('last_used_at');
  }

  // rotate_before - computed: false, optional: true, required: false
  private _rotateBefore?: string; 
  public get rotateBefore() {
    return this.getStringAttribute('rotate_before');
  }
  public set rotateBefore(value: string) {
    this._rotateBefore = value;
  }
  public resetRotateBefore() {
    this._rotateBefore = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get rotateBeforeInput() {
    return this._rotateBefore;
  }

  // token - computed: true, optional: false, required: false
  public get token() {
    return this.getStringAttribute('token');
  }

  // token_prefix - computed: true, optional: false, required: false
  public get tokenPrefix() {
    return this.getStringAttribute('token_prefix');
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      allow_self_revoke: cdktn.booleanToTerraform(this._allowSelfRevoke),
      description: cdktn.stringToTerraform(this._description),
      expires_at: cdktn.stringToTerraform(this._expiresAt),
      expires_in: cdktn.stringToTerraform(this._expiresIn),
      rotate_before: cdktn.stringToTerraform(this._rotateBefore),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      allow_self_revoke: {
        value: cdktn.booleanToHclTerraform(this._allowSelfRevoke),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      description: {
        value: cdktn.stringToHclTerraform(this._description),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      expires_at: {
        value: cdktn.stringToHclTerraform(this._expiresAt),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      expires_in: {
        value: cdktn.stringToHclTerraform(this._expiresIn),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      rotate_before: {
        value: cdktn.stringToHclTerraform(this._rotateBefore),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
