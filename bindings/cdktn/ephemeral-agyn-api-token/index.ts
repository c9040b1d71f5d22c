// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktn from 'cdktn';

// Configuration

export interface EphemeralAgynApiTokenConfig extends cdktn.TerraformEphemeralMetaArguments {
  /**
  * What the token is for (the Gateway's token `name`), e.g. `"terraform run ${terraform.workspace}"`. Shown in the Console while the run lasts.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token#description EphemeralAgynApiToken#description}
  */
  readonly description: string;
  /**
  * When the token expires, RFC 3339 (e.g. `2027-06-01T00:00:00Z`); must be in the future when the token is opened. When not set: the expiry that `expires_in`, or the default lifetime, produced.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token#expires_at EphemeralAgynApiToken#expires_at}
  */
  readonly expiresAt?: string;
  /**
  * Lifetime from opening as a Go duration (e.g. `"30m"`); the alternative to `expires_at`. Default `"1h"` when neither is set. Choose more than your longest plan or apply: the Gateway cannot extend a token, so it is not renewed. The provider adds one second for the request to reach the Gateway, so `expires_at` is never less than `expires_in` after the `created_at` the Gateway records.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token#expires_in EphemeralAgynApiToken#expires_in}
  */
  readonly expiresIn?: string;
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token agyn_api_token}
*/
export class EphemeralAgynApiToken extends cdktn.TerraformEphemeralResource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn_api_token";

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/ephemeral-resources/api_token agyn_api_token} Ephemeral Resource
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options EphemeralAgynApiTokenConfig
  */
  public constructor(scope: Construct, id: string, config: EphemeralAgynApiTokenConfig) {
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
      forEach: config.forEach
    });
    this._description = config.description;
    this._expiresAt = config.expiresAt;
    this._expiresIn = config.expiresIn;
  }

  // ==========
  // ATTRIBUTES
  // ==========

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
      description: cdktn.stringToTerraform(this._description),
      expires_at: cdktn.stringToTerraform(this._expiresAt),
      expires_in: cdktn.stringToTerraform(this._expiresIn),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
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
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
